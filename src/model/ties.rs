//! Ties: the social network, in compact fixed-capacity storage (ODD "Entities": ties).
//!
//! Each migrant owns `capacity` slots in one flat array; a tie is 8 bytes. Co-migrant ties
//! point at another migrant and are stored on both ends; local and transnational ties point
//! at people outside the simulated population (a local host, a colleague, family in
//! Russia), who are nodes of the network without state of their own. Nothing here
//! allocates after construction.

use super::agents::MigrantId;

/// The kind of a tie (MODEL_BRIEF: bonding, bridging, transnational).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum TieKind {
    /// Another migrant (bonding).
    CoMigrant,
    /// A local: landlord, host, colleague (bridging).
    Local,
    /// Family, friends or the employer in Russia.
    Transnational,
}

impl TieKind {
    pub const NAMES: [&'static str; 3] = ["co_migrant", "local", "transnational"];
}

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

pub struct TieStore {
    capacity: usize,
    /// Per migrant: ties of each kind (`TieKind` order), then the total. Kept up to date
    /// on every change so counting costs nothing in the daily step.
    count: Vec<[u8; 4]>,
    slots: Vec<Tie>,
}

impl TieStore {
    pub fn new(agents: usize, capacity: usize) -> TieStore {
        TieStore {
            capacity,
            count: vec![[0; 4]; agents],
            slots: vec![EMPTY; agents * capacity],
        }
    }

    #[inline]
    pub fn of(&self, id: MigrantId) -> &[Tie] {
        let i = id.0 as usize;
        let base = i * self.capacity;
        &self.slots[base..base + self.count[i][3] as usize]
    }

    #[inline]
    pub fn of_mut(&mut self, id: MigrantId) -> &mut [Tie] {
        let i = id.0 as usize;
        let base = i * self.capacity;
        &mut self.slots[base..base + self.count[i][3] as usize]
    }

    /// Number of ties of each kind.
    #[inline]
    pub fn counts(&self, id: MigrantId) -> [u8; 3] {
        let c = self.count[id.0 as usize];
        [c[0], c[1], c[2]]
    }

    /// Adds a tie on one end. A full list replaces its weakest tie if the new one is
    /// stronger. Returns false if nothing was stored.
    fn push(&mut self, id: MigrantId, tie: Tie) -> bool {
        let i = id.0 as usize;
        let base = i * self.capacity;
        let n = self.count[i][3] as usize;
        if tie.other != EXTERNAL
            && self.slots[base..base + n]
                .iter()
                .any(|t| t.other == tie.other)
        {
            return false;
        }
        if n < self.capacity {
            self.slots[base + n] = tie;
            self.count[i][3] += 1;
            self.count[i][tie.kind as usize] += 1;
            return true;
        }
        let (weakest, w) = self.slots[base..base + n]
            .iter()
            .enumerate()
            .min_by_key(|(_, t)| t.strength)
            .map(|(k, t)| (k, *t))
            .expect("capacity > 0");
        if w.strength >= tie.strength {
            return false;
        }
        if w.other != EXTERNAL {
            self.remove_pointing(MigrantId(w.other), id);
        }
        self.slots[base + weakest] = tie;
        self.count[i][w.kind as usize] -= 1;
        self.count[i][tie.kind as usize] += 1;
        true
    }

    /// Adds a tie to someone outside the simulated population.
    pub fn add_external(&mut self, id: MigrantId, kind: TieKind, strength: u8, day: u16) -> bool {
        self.push(
            id,
            Tie {
                other: EXTERNAL,
                kind,
                strength,
                last_used: day,
            },
        )
    }

    /// Adds a co-migrant tie on both ends.
    pub fn link(&mut self, a: MigrantId, b: MigrantId, strength: u8, day: u16) -> bool {
        if a == b {
            return false;
        }
        let ta = Tie {
            other: b.0,
            kind: TieKind::CoMigrant,
            strength,
            last_used: day,
        };
        if !self.push(a, ta) {
            return false;
        }
        let tb = Tie {
            other: a.0,
            kind: TieKind::CoMigrant,
            strength,
            last_used: day,
        };
        if !self.push(b, tb) {
            self.remove_pointing(a, b);
            return false;
        }
        true
    }

    fn remove_pointing(&mut self, from: MigrantId, to: MigrantId) {
        self.retain(from, |t| t.other != to.0);
    }

    /// Keeps the ties of `id` for which `keep` is true (order is not preserved).
    pub fn retain(&mut self, id: MigrantId, mut keep: impl FnMut(&Tie) -> bool) {
        let i = id.0 as usize;
        let base = i * self.capacity;
        let mut n = self.count[i][3] as usize;
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
        self.count[i][3] = n as u8;
    }

    /// Drops one end of each co-migrant tie for which `keep` says no, and the other end too.
    pub fn decay(&mut self, id: MigrantId, mut keep: impl FnMut(&Tie) -> bool) {
        let i = id.0 as usize;
        let base = i * self.capacity;
        let mut k = 0;
        while k < self.count[i][3] as usize {
            let t = self.slots[base + k];
            if keep(&t) {
                k += 1;
            } else {
                let n = self.count[i][3] as usize;
                self.slots[base + k] = self.slots[base + n - 1];
                self.count[i][3] -= 1;
                self.count[i][t.kind as usize] -= 1;
                if t.other != EXTERNAL {
                    self.remove_pointing(MigrantId(t.other), id);
                }
            }
        }
    }

    /// Marks the tie from `a` to `b` as used today.
    pub fn touch(&mut self, a: MigrantId, b: u32, day: u16) {
        for t in self.of_mut(a) {
            if t.other == b {
                t.last_used = day;
                t.strength = t.strength.saturating_add(16);
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
        assert_eq!(s.counts(MigrantId(0)), [2, 0, 0]);
    }
}
