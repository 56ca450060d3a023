//! The daily step allocates nothing: a counting allocator watches `Sim::step` over a whole
//! run of a small population, arrivals, departures, ties and policy events included. Only
//! the stepping thread's allocations count: the test harness's own threads allocate when
//! they please (bookkeeping, output), which made the count race with them.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

use relocant::engine::run_rng;
use relocant::model::step::Sim;
use relocant::scenario::{self, Source};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Whether this thread's allocations are counted (a plain `Cell`: no destructor, and
    /// reading it never allocates).
    static WATCHED: Cell<bool> = const { Cell::new(false) };
}

fn count() {
    if WATCHED.try_with(Cell::get).unwrap_or(false) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    }
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn stepping_a_whole_run_allocates_nothing() {
    let sets = ["arrivals.persons_per_agent=200".to_string()];
    let sc = scenario::load(Source::Builtin, &sets)
        .expect("baseline loads")
        .scenario;
    let mut sim = Sim::new(&sc, run_rng(sc.seed, 0));
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    WATCHED.set(true);
    let mut present = 0;
    for day in 0..sc.days() {
        sim.step(day);
        present += sim.present();
    }
    WATCHED.set(false);
    let during = ALLOCATIONS.load(Ordering::Relaxed) - before;
    assert!(present > 0);
    assert_eq!(during, 0, "{during} allocations in {} days", sc.days());
}
