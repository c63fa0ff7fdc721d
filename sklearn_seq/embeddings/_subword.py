"""FastText vectors of out-of-vocabulary words, for many words at once."""

import numpy as np

__all__ = ["oov_vectors", "ngram_hashes"]

_FNV_OFFSET = np.uint32(2166136261)
_FNV_PRIME = np.uint32(16777619)
_BLOCK = 1 << 20  # n-gram vector elements gathered at once for a long word (4 MB)


def ngram_hashes(words, min_n, max_n, bucket):
    """gensim's ``ft_ngram_hashes`` of many words, vectorised.

    The character n-grams of ``"<" + word + ">"`` (``min_n`` to ``max_n``
    characters; no single ``<`` or ``>``), in gensim's order (by start
    character, then by length), hashed with fastText's FNV-1a variant (each
    UTF-8 byte sign-extended from int8) modulo ``bucket``.

    Returns
    -------
    hashes : ndarray of int64
        The n-gram bucket ids of all words, word after word.
    counts : ndarray of int64 of shape (len(words),)
        Number of n-grams of each word.
    """
    raw, byte_at = _utf8("".join(f"<{w}>" for w in words))
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words)) + 2
    char_at = np.cumsum(lengths) - lengths  # first character of each padded word
    sizes = np.arange(min_n, max_n + 1, dtype=np.int64)
    if len(sizes) == 0 or len(words) == 0:
        return np.zeros(0, np.int64), np.zeros(len(words), np.int64)
    # every (word, start, size), in gensim's order, then the valid ones
    per_word = lengths * len(sizes)
    word = np.repeat(np.arange(len(words)), per_word)
    local = np.arange(int(per_word.sum())) - np.repeat(np.cumsum(per_word) - per_word, per_word)
    start, size = np.divmod(local, len(sizes))
    size = sizes[size]
    keep = _is_ngram(start, size, lengths[word])
    word, start, size = word[keep], start[keep], size[keep]
    counts = np.bincount(word, minlength=len(words)).astype(np.int64)
    first = char_at[word] + start
    return _fnv(raw, byte_at[first], byte_at[first + size], bucket), counts


def _utf8(text):
    """The UTF-8 bytes of ``text`` and the byte offset of each character (and of the end).
    A lone surrogate (text decoded with ``surrogateescape``; only in unseen words:
    FastText refuses them in training) takes its three ``surrogatepass`` bytes."""
    chars = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    raw = np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    n_bytes = 1 + (chars >= 0x80) + (chars >= 0x800) + (chars >= 0x10000)
    byte_at = np.zeros(len(chars) + 1, dtype=np.int64)
    np.cumsum(n_bytes, out=byte_at[1:])
    return raw, byte_at


def _is_ngram(start, size, length):
    """Which (start, size) fit in a padded word of ``length`` characters, the lone
    ``<`` and ``>`` excepted (as in gensim)."""
    return (start + size <= length) & ~((size == 1) & ((start == 0) | (start + 1 == length)))


def _fnv(raw, begin, end, bucket):
    """fastText's FNV-1a hash of each byte string ``raw[begin:end]``, modulo ``bucket``."""
    nb = end - begin
    # one step per byte position, longest n-grams first so the active ones are a prefix
    order = np.argsort(-nb, kind="stable")
    b0s, nbs = begin[order], nb[order]
    h = np.full(len(order), _FNV_OFFSET, dtype=np.uint32)
    for t in range(int(nbs[0]) if len(nbs) else 0):
        m = int(np.searchsorted(-nbs, -t, side="left"))  # n-grams longer than t bytes
        byte = raw[b0s[:m] + t].view(np.int8).astype(np.int32).view(np.uint32)
        h[:m] = (h[:m] ^ byte) * _FNV_PRIME
    hashes = np.empty(len(order), dtype=np.int64)
    hashes[order] = h % np.uint32(bucket)
    return hashes


def _long_word_vector(kv, word):
    """Sum of the n-gram vectors of one word, and their number, without a loop per n-gram.

    The n-grams are taken a block of start characters at a time (about
    ``_BLOCK`` vector elements); each block's rows are added to the running sum
    by one ``np.add.reduce`` along the rows (the slow axis, which numpy sums
    one row after the other, not pairwise): float32 additions in gensim's
    order, as ``get_vector`` does.
    """
    raw, byte_at = _utf8(f"<{word}>")
    n = len(byte_at) - 1  # characters
    sizes = np.arange(kv.min_n, kv.max_n + 1, dtype=np.int64)
    total = np.zeros(kv.vector_size, dtype=np.float32)
    count = 0
    step = max(1, _BLOCK // max(1, len(sizes) * kv.vector_size))  # start characters per block
    for lo in range(0, n if len(sizes) else 0, step):
        start = np.repeat(np.arange(lo, min(lo + step, n), dtype=np.int64), len(sizes))
        size = np.tile(sizes, len(start) // len(sizes))
        keep = _is_ngram(start, size, n)
        start, size = start[keep], size[keep]
        if not len(start):
            continue
        rows = kv.vectors_ngrams[_fnv(raw, byte_at[start], byte_at[start + size], kv.bucket)]
        rows[0] += total
        if rows.shape[1] > 1:  # numpy sums pairwise only along the fast axis: row after row here
            total = np.add.reduce(rows, axis=0)
        else:
            total = np.add.accumulate(rows, axis=0)[-1]
        count += len(start)
    return total, count


def oov_vectors(kv, words, *, chunk_size=4096, long_word=256, return_counts=False):
    """``kv.get_vector(w)`` for every word of ``words``, none in the vocabulary.

    Same result, bit for bit, as gensim's ``FastTextKeyedVectors.get_vector``
    (the mean of the word's n-gram bucket vectors, added one after the other
    in float32; a zero vector when the word has no n-gram), without its Python
    loop over the n-grams of each word: the n-grams of a chunk of words are
    hashed in one vectorised pass, then the k-th n-gram vectors of all words
    are added in one step, for each k. A word longer than ``long_word``
    characters (which would make that loop over k as long as its n-grams) is
    composed on its own, a block of n-grams at a time (``_long_word_vector``):
    the cost stays proportional to the number of n-grams.

    Parameters
    ----------
    kv : gensim.models.fasttext.FastTextKeyedVectors
        Subword vectors (with ``bucket == 0`` no word has an n-gram).
    words : list of str
        Words not in ``kv.key_to_index``.
    chunk_size : int, default=4096
        Words per pass (bounds the temporary arrays).
    long_word : int, default=256
        Words with more characters are composed one at a time.
    return_counts : bool, default=False
        Also return the number of n-grams of each word.

    Returns
    -------
    vectors : ndarray of shape (len(words), kv.vector_size), float32
    n_ngrams : ndarray of int64 of shape (len(words),)
        Only with ``return_counts=True``; ``0``: zero vector, nothing to compose.
    """
    out = np.zeros((len(words), kv.vector_size), dtype=np.float32)
    n_ngrams = np.zeros(len(words), dtype=np.int64)
    table = kv.vectors_ngrams
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    is_long = lengths > long_word if kv.bucket else np.zeros(len(words), dtype=bool)
    for i in np.flatnonzero(is_long).tolist():
        total, n_ngrams[i] = _long_word_vector(kv, words[i])
        out[i] = total / np.float32(max(n_ngrams[i], 1))
    short = np.flatnonzero(~is_long)
    for lo in range(0, len(short) if kv.bucket else 0, chunk_size):
        at = short[lo : lo + chunk_size]  # positions in words of this chunk's words
        chunk = [words[i] for i in at.tolist()]
        hashes, counts = ngram_hashes(chunk, kv.min_n, kv.max_n, kv.bucket)
        n_ngrams[at] = counts
        if not len(hashes):
            continue
        # with the words sorted by n-gram count, those with a k-th n-gram are a prefix
        by_count = np.argsort(-counts, kind="stable")
        first = np.cumsum(counts) - counts
        sorted_counts = counts[by_count]
        acc = np.zeros((len(chunk), table.shape[1]), dtype=np.float32)
        for k in range(int(sorted_counts[0])):
            m = int(np.searchsorted(-sorted_counts, -k, side="left"))  # counts > k
            acc[:m] += table[hashes[first[by_count[:m]] + k]]
        has = sorted_counts > 0  # words without n-grams keep the zero vector
        acc[has] /= sorted_counts[has].astype(np.float32)[:, None]
        out[at[by_count]] = acc
    return (out, n_ngrams) if return_counts else out
