/* fault-vs-truncate.pml - R1 under the xfs-mmaplock scheme, for a SPIN
 * comparison with `faultline explore scenarios/fault-vs-truncate.scn -m
 * xfs-mmaplock`: a write fault on pgoff 3 of a 4-page file against
 * truncate to 2 pages.  mmap_sem (per process, so uncontended here) and
 * i_mmaplock (shared in the fault, exclusive in truncate) are rwsems;
 * the PTE is installed under the shared lock.  BROKEN=1 drops the lock
 * before the PTE is set (boaz-early-unlock).  Safety: at the end no PTE
 * maps a block the file no longer has at that offset.
 */
#ifndef BROKEN
#define BROKEN 0
#endif

byte i_size = 4;
byte bmap[4];                   /* pgoff -> block, 0 = hole */
byte blkfree[16];               /* 1 = free */
byte nextblk = 5;
byte pte = 0;                   /* block mapped at pgoff 3 in P0 */
byte readers = 0;               /* i_mmaplock */
bool writer = false;
bool done0 = false, done1 = false;

inline down_read() { atomic { !writer -> readers++ } }
inline up_read() { readers-- }
inline down_write() { atomic { !writer && readers == 0 -> writer = true } }
inline up_write() { writer = false }

proctype fault()
{
	byte b, n;
	down_read();
	if
	:: bmap[3] == 0 -> bmap[3] = nextblk; blkfree[nextblk] = 0; nextblk++
	:: else
	fi;
	b = bmap[3];
	n = i_size;
	if
	:: 3 >= n -> up_read(); goto out
	:: else
	fi;
	if
	:: BROKEN -> up_read(); pte = b
	:: else -> pte = b; up_read()
	fi;
out:
	done0 = true
}

proctype truncate()
{
	byte p;
	down_write();
	i_size = 2;
	p = 2;
	do
	:: p < 4 -> if
		    :: bmap[p] != 0 -> blkfree[bmap[p]] = 1; bmap[p] = 0
		    :: else
		    fi; p++
	:: else -> break
	od;
	pte = 0;                /* zap_ptes(2, LAST) */
	up_write();
	done1 = true
}

init {
	atomic {
		bmap[0] = 1; bmap[1] = 2; bmap[2] = 3; bmap[3] = 4;
		run fault(); run truncate()
	}
	(done0 && done1);
	assert(pte == 0 || (3 < i_size && bmap[3] == pte && !blkfree[pte]))
}
