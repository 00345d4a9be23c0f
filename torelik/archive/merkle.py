"""The Merkle tree of the transparency log (RFC 9162, section 2.1), free of Django and the database.

leaf = SHA-256(0x00 || entry), node = SHA-256(0x01 || left || right), a tree of n leaves split at the
largest power of two below n. A *node* here is a complete subtree: (level, index) covers the leaves
[index·2^level, (index+1)·2^level). Every hash a proof needs is the hash of a range that starts at a
multiple of its largest power of two; such a range is made of at most log2(n) complete subtrees, so a
proof reads O(log n) stored nodes (`nodes_of_range`) and computes the rest.
"""

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence

Node = tuple[int, int]  # (level, index)
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def split(n: int) -> int:
    """The largest power of two strictly below n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def nodes_of_range(start: int, end: int) -> list[Node]:
    """The complete subtrees that make up the range [start, end) as RFC 9162 splits it, left to right."""
    nodes: list[Node] = []
    while start < end:
        size = end - start
        if size & (size - 1) == 0 and start % size == 0:
            nodes.append((size.bit_length() - 1, start // size))
            break
        k = split(size)
        nodes.append(((k.bit_length() - 1), start // k))
        start += k
    return nodes


def fold(hashes: Sequence[bytes]) -> bytes:
    """The hash of a range from its complete subtrees (left to right): the right edge folds first."""
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


def ranges_of_inclusion(index: int, size: int) -> list[tuple[int, int]]:
    """The ranges whose hashes form the inclusion proof of leaf `index` in a tree of `size` leaves,
    in proof order (bottom up), following PATH(m, D[n]) of RFC 9162 section 2.1.3.1."""
    if not 0 <= index < size:
        raise ValueError("the leaf is not in the tree")
    ranges: list[tuple[int, int]] = []
    start, end = 0, size
    while end - start > 1:
        k = split(end - start)
        if index < start + k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
    ranges.reverse()
    return ranges


def ranges_of_consistency(first: int, second: int) -> list[tuple[int, int]]:
    """The ranges whose hashes form the consistency proof between trees of `first` and `second`
    leaves, in proof order, following SUBPROOF(m, D[n], true) of RFC 9162 section 2.1.4.1."""
    if not 0 < first <= second:
        raise ValueError("a consistency proof needs 0 < first <= second")
    if first == second:
        return []
    ranges: list[tuple[int, int]] = []
    start, end, whole = 0, second, True
    m = first
    while True:
        n = end - start
        if m == n:
            if not whole:
                ranges.append((start, end))
            break
        k = split(n)
        if m <= k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
            m -= k
            whole = False
    ranges.reverse()
    return ranges


class Tree:
    """Proofs from stored complete subtrees: `read(nodes)` returns the hashes of the nodes asked for."""

    def __init__(self, read: Callable[[Iterable[Node]], Mapping[Node, bytes]]) -> None:
        self.read = read

    def hashes_of(self, ranges: Sequence[tuple[int, int]]) -> list[bytes]:
        wanted = {node: None for r in ranges for node in nodes_of_range(*r)}
        found = self.read(list(wanted))
        missing = [node for node in wanted if node not in found]
        if missing:
            raise LookupError(f"the log holds no hash of the subtrees {missing[:3]}")
        return [fold([found[node] for node in nodes_of_range(*r)]) for r in ranges]

    def root(self, size: int) -> bytes:
        return EMPTY_ROOT if size == 0 else self.hashes_of([(0, size)])[0]

    def inclusion(self, index: int, size: int) -> list[bytes]:
        return self.hashes_of(ranges_of_inclusion(index, size))

    def inclusions(self, indices: Sequence[int], size: int) -> dict[int, list[bytes]]:
        """The inclusion proofs of many entries, with one read of every node they need."""
        ranges = {index: ranges_of_inclusion(index, size) for index in indices}
        flat = [r for found in ranges.values() for r in found]
        hashes = iter(self.hashes_of(flat)) if flat else iter([])
        return {index: [next(hashes) for _ in found] for index, found in ranges.items()}

    def consistency(self, first: int, second: int) -> list[bytes]:
        return self.hashes_of(ranges_of_consistency(first, second))


def new_nodes(old_size: int, leaves: Sequence[bytes], edge: Mapping[Node, bytes]) -> dict[Node, bytes]:
    """The complete subtrees of levels >= 1 that appending `leaves` (their hashes) to a tree of
    `old_size` leaves completes. `edge` holds the complete subtrees of the old tree's right edge
    (`edge_nodes(old_size)`), the only old nodes a new one can have as a child."""
    new_size = old_size + len(leaves)
    known: dict[Node, bytes] = dict(edge)
    known.update({(0, old_size + i): h for i, h in enumerate(leaves)})
    made: dict[Node, bytes] = {}
    level = 1
    while (1 << level) <= new_size:
        width = 1 << level
        first = old_size // width  # the first node of this level not complete before
        for index in range(first, new_size // width):
            node = node_hash(known[(level - 1, 2 * index)], known[(level - 1, 2 * index + 1)])
            known[(level, index)] = made[(level, index)] = node
        level += 1
    return made


def edge_nodes(size: int) -> list[Node]:
    """The complete subtrees on the right edge of a tree of `size` leaves: one per bit of `size`."""
    return nodes_of_range(0, size) if size else []


def root_from_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """RFC 9162 section 2.1.3.2: the root an inclusion proof leads to (ValueError if malformed)."""
    if not 0 <= index < size:
        raise ValueError("the leaf index is not below the tree size")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise ValueError("the proof is longer than the path")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ValueError("the proof is shorter than the path")
    return r


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]) -> bool:
    """RFC 9162 section 2.1.4.2."""
    if first > second or first < 0:
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        return not proof
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:  # a power of two: the first tree is itself a node of the second
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == first_root and sr == second_root
