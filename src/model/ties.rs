//! Ties: the social network, in compact fixed-capacity storage (ODD "Entities": ties).
//!
//! Each migrant owns `capacity` slots in one flat array; a tie is 8 bytes. Co-migrant ties
//! point at another migrant and are stored on both ends; local, transnational and abroad
//! ties point at people outside the simulated population (a local host, a colleague,
//! family in Russia, a friend who moved on), who are nodes of the network without state
//! of their own. When a migrant leaves, its co-migrant ties become ties home or abroad at
//! their other ends (`TieStore::leave`). Nothing here allocates after construction.

use super::agents::MigrantId;

/// The kind of a tie (MODEL_BRIEF: bonding, bridging, transnational).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum TieKind {
    /// Another migrant (bonding).
    CoMigrant,
    /// A local: landlord, host, colleague (bridging).
    Local,
    /// Family, friends or the employer in Russia (and co-migrants who went back).
    Transnational,
    /// A co-migrant who moved on to a third country.
    Abroad,
}

impl TieKind {
    pub const COUNT: usize = 4;
    pub const NAMES: [&'static str; TieKind::COUNT] =
        ["co_migrant", "local", "transnational", "abroad"];
}

/// Ties of each kind one migrant has, in `TieKind` order.
pub type TieCounts = [u8; TieKind::COUNT];

/// Index of the total in a migrant's counts.
const TOTAL: usize = TieKind::COUNT;

/// Marks a tie whose other end is outside the simulated population.
pub const EXTERNAL: u32 = u32::MAX;

#[derive(Clone, Copy, Debug)]
pub struct Tie {
    /// The other migrant, or `EXTERNAL`.
    pub other: u32,
    pub kind: TieKind,
    /// 1..=255; ties at 0 are dropped.
    pub strength: u8,
    /// Day the tie was formed or last used.
    pub last_used: u16,
}

const EMPTY: Tie = Tie {
    other: EXTERNAL,
    kind: TieKind::Local,
    strength: 0,
    last_used: 0,
};

/// Where a new tie goes in a migrant's slots.
#[derive(Clone, Copy)]
enum Slot {
    Free,
    /// Replaces the tie at this index (the weakest).
    Replace(usize),
}

pub struct TieStore {
    capacity: usize,
    /// Per migrant: ties of each kind (`TieKind` order), then the total. Kept up to date
    /// on every change so counting costs nothing in the daily step.
    count: Vec<[u8; TOTAL + 1]>,
    slots: Vec<Tie>,
}

impl TieStore {
    pub fn new(agents: usize, capacity: usize) -> TieStore {
        TieStore {
            capacity,
            count: vec![[0; TOTAL + 1]; agents],
            slots: vec![EMPTY; agents * capacity],
        }
    }

    #[inline]
    pub fn of(&self, id: MigrantId) -> &[Tie] {
        let i = id.0 as usize;
        let base = i * self.capacity;
        &self.slots[base..base + self.count[i][TOTAL] as usize]
    }

    #[inline]
    pub fn of_mut(&mut self, id: MigrantId) -> &mut [Tie] {
        let i = id.0 as usize;
        let base = i * self.capacity;
        &mut self.slots[base..base + self.count[i][TOTAL] as usize]
    }

    /// Number of ties of each kind.
    #[inline]
    pub fn counts(&self, id: MigrantId) -> TieCounts {
        let c = self.count[id.0 as usize];
        std::array::from_fn(|k| c[k])
    }

    /// `id` leaves the population: at the other end of each of its co-migrant ties the tie
    /// becomes one to someone outside, of kind `becomes` (home for a returnee, abroad for
    /// one who moved on), keeping its strength and last use; `id` keeps only its ties to
    /// people outside.
    pub fn leave(&mut self, id: MigrantId, becomes: TieKind) {
        let i = id.0 as usize;
        let base = i * self.capacity;
        for k in 0..self.count[i][TOTAL] as usize {
            let other = self.slots[base + k].other;
            if other == EXTERNAL {
                continue;
            }
            let j = other as usize;
            let jbase = j * self.capacity;
            for l in 0..self.count[j][TOTAL] as usize {
                let t = &mut self.slots[jbase + l];
                if t.other == id.0 {
                    self.count[j][t.kind as usize] -= 1;
                    (t.other, t.kind) = (EXTERNAL, becomes);
                    self.count[j][becomes as usize] += 1;
                }
            }
        }
        // Nothing points at `id` any more: dropping its own ends needs no second side.
        self.retain(id, |t| t.other == EXTERNAL);
    }

    /// Where a new tie would go on one end: `None` if it cannot be stored (a duplicate, or
    /// a full list whose weakest tie is at least as strong).
    fn place(&self, id: MigrantId, tie: &Tie) -> Option<Slot> {
        let ties = self.of(id);
        if tie.other != EXTERNAL && ties.iter().any(|t| t.other == tie.other) {
            return None;
        }
        if ties.len() < self.capacity {
            return Some(Slot::Free);
        }
        let (weakest, w) = ties
            .iter()
            .enumerate()
            .min_by_key(|(_, t)| t.strength)
            .expect("capacity > 0");
        (w.strength < tie.strength).then_some(Slot::Replace(weakest))
    }

    /// Stores a tie on one end where `place` said it fits; a replaced co-migrant tie is
    /// dropped at its other end too.
    fn put(&mut self, id: MigrantId, tie: Tie, slot: Slot) {
        let i = id.0 as usize;
        let base = i * self.capacity;
        match slot {
            Slot::Free => {
                let n = self.count[i][TOTAL] as usize;
                self.slots[base + n] = tie;
                self.count[i][TOTAL] += 1;
            }
            Slot::Replace(k) => {
                let w = self.slots[base + k];
                if w.other != EXTERNAL {
                    self.remove_pointing(MigrantId(w.other), id);
                }
                self.slots[base + k] = tie;
                self.count[i][w.kind as usize] -= 1;
            }
        }
        self.count[i][tie.kind as usize] += 1;
    }

    /// Adds a tie to someone outside the simulated population.
    pub fn add_external(&mut self, id: MigrantId, kind: TieKind, strength: u8, day: u16) -> bool {
        let tie = Tie {
            other: EXTERNAL,
            kind,
            strength,
            last_used: day,
        };
        let Some(slot) = self.place(id, &tie) else {
            return false;
        };
        self.put(id, tie, slot);
        true
    }

    /// Adds a co-migrant tie on both ends, or on neither: nothing is evicted at one end
    /// unless the tie is stored at the other too.
    pub fn link(&mut self, a: MigrantId, b: MigrantId, strength: u8, day: u16) -> bool {
        if a == b {
            return false;
        }
        let tie = |other: MigrantId| Tie {
            other: other.0,
            kind: TieKind::CoMigrant,
            strength,
            last_used: day,
        };
        let (ta, tb) = (tie(b), tie(a));
        let (Some(sa), Some(sb)) = (self.place(a, &ta), self.place(b, &tb)) else {
            return false;
        };
        // The two placements are independent: `a` has no tie to `b` (or `place` refused),
        // so an eviction at one end never touches the other end's list.
        self.put(a, ta, sa);
        self.put(b, tb, sb);
        true
    }

    fn remove_pointing(&mut self, from: MigrantId, to: MigrantId) {
        self.retain(from, |t| t.other != to.0);
    }

    /// Keeps the ties of `id` for which `keep` is true (order is not preserved).
    pub fn retain(&mut self, id: MigrantId, mut keep: impl FnMut(&Tie) -> bool) {
        let i = id.0 as usize;
        let base = i * self.capacity;
        let mut n = self.count[i][TOTAL] as usize;
        let mut k = 0;
        while k < n {
            let t = self.slots[base + k];
            if keep(&t) {
                k += 1;
            } else {
                self.slots[base + k] = self.slots[base + n - 1];
                self.count[i][t.kind as usize] -= 1;
                n -= 1;
            }
        }
        self.count[i][TOTAL] = n as u8;
    }

    /// Drops one end of each co-migrant tie for which `keep` says no, and the other end too.
    pub fn decay(&mut self, id: MigrantId, mut keep: impl FnMut(&Tie) -> bool) {
        let i = id.0 as usize;
        let base = i * self.capacity;
        let mut k = 0;
        while k < self.count[i][TOTAL] as usize {
            let t = self.slots[base + k];
            if keep(&t) {
                k += 1;
            } else {
                let n = self.count[i][TOTAL] as usize;
                self.slots[base + k] = self.slots[base + n - 1];
                self.count[i][TOTAL] -= 1;
                self.count[i][t.kind as usize] -= 1;
                if t.other != EXTERNAL {
                    self.remove_pointing(MigrantId(t.other), id);
                }
            }
        }
    }

    /// Marks the tie from `a` to `b` as used today; it grows `gain` stronger.
    pub fn touch(&mut self, a: MigrantId, b: u32, day: u16, gain: u8) {
        for t in self.of_mut(a) {
            if t.other == b {
                t.last_used = day;
                t.strength = t.strength.saturating_add(gain);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_symmetric_and_decay_removes_both_ends() {
        let mut s = TieStore::new(4, 2);
        assert!(s.link(MigrantId(0), MigrantId(1), 100, 0));
        assert!(
            !s.link(MigrantId(0), MigrantId(1), 100, 0),
            "no duplicate ties"
        );
        assert_eq!(s.of(MigrantId(1))[0].other, 0);
        s.decay(MigrantId(0), |_| false);
        assert!(s.of(MigrantId(0)).is_empty());
        assert!(s.of(MigrantId(1)).is_empty());
    }

    #[test]
    fn a_full_list_replaces_its_weakest_tie_on_both_ends() {
        let mut s = TieStore::new(4, 2);
        s.link(MigrantId(0), MigrantId(1), 10, 0);
        s.link(MigrantId(0), MigrantId(2), 50, 0);
        assert!(s.link(MigrantId(0), MigrantId(3), 80, 0));
        let others: Vec<u32> = s.of(MigrantId(0)).iter().map(|t| t.other).collect();
        assert!(others.contains(&2) && others.contains(&3) && !others.contains(&1));
        assert!(
            s.of(MigrantId(1)).is_empty(),
            "the dropped tie is gone at its other end too"
        );
        assert_eq!(s.counts(MigrantId(0)), [2, 0, 0, 0]);
    }

    #[test]
    fn a_departing_migrant_s_ties_become_ties_home_or_abroad_at_their_other_ends() {
        let mut s = TieStore::new(4, 4);
        s.link(MigrantId(0), MigrantId(1), 90, 3);
        s.link(MigrantId(0), MigrantId(2), 70, 4);
        s.link(MigrantId(1), MigrantId(2), 50, 5);
        s.add_external(MigrantId(0), TieKind::Transnational, 200, 0);
        s.leave(MigrantId(0), TieKind::Abroad);
        assert_eq!(s.counts(MigrantId(1)), [1, 0, 0, 1]);
        assert_eq!(s.counts(MigrantId(2)), [1, 0, 0, 1]);
        let abroad = s
            .of(MigrantId(1))
            .iter()
            .find(|t| t.kind == TieKind::Abroad);
        let t = abroad.expect("a tie abroad");
        assert_eq!((t.other, t.strength, t.last_used), (EXTERNAL, 90, 3));
        assert_eq!(
            s.counts(MigrantId(0)),
            [0, 0, 1, 0],
            "the leaver keeps its family"
        );
        s.leave(MigrantId(1), TieKind::Transnational);
        assert_eq!(
            s.counts(MigrantId(2)),
            [0, 0, 1, 1],
            "a returnee: a tie home"
        );
    }

    #[test]
    fn link_is_all_or_nothing_when_the_second_end_refuses() {
        // 0 is full of weak ties, 1 is full of strong ones: a medium tie between them would
        // evict at 0 and then be refused at 1. Nothing may change.
        let mut s = TieStore::new(6, 2);
        s.link(MigrantId(0), MigrantId(2), 10, 0);
        s.link(MigrantId(0), MigrantId(3), 20, 0);
        s.link(MigrantId(1), MigrantId(4), 200, 0);
        s.link(MigrantId(1), MigrantId(5), 200, 0);
        assert!(!s.link(MigrantId(0), MigrantId(1), 100, 0));
        let others: Vec<u32> = s.of(MigrantId(0)).iter().map(|t| t.other).collect();
        assert_eq!(others, vec![2, 3], "the weakest tie of 0 was kept");
        assert_eq!(s.of(MigrantId(2)).len(), 1, "and its other end too");
        assert_eq!(s.counts(MigrantId(0)), [2, 0, 0, 0]);
        assert_eq!(s.counts(MigrantId(1)), [2, 0, 0, 0]);
    }
}
