"""FastText vectors of out-of-vocabulary words, for many words at once."""

import numpy as np

__all__ = ["oov_vectors", "ngram_hashes"]

_FNV_OFFSET = np.uint32(2166136261)
_FNV_PRIME = np.uint32(16777619)


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
    padded = "".join(f"<{w}>" for w in words)
    chars = np.frombuffer(padded.encode("utf-32-le"), dtype=np.uint32)
    raw = np.frombuffer(padded.encode("utf-8"), dtype=np.uint8)
    n_bytes = 1 + (chars >= 0x80) + (chars >= 0x800) + (chars >= 0x10000)
    byte_at = np.zeros(len(chars) + 1, dtype=np.int64)  # byte offset of each character
    np.cumsum(n_bytes, out=byte_at[1:])
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
    length = lengths[word]
    keep = (start + size <= length) & ~((size == 1) & ((start == 0) | (start + 1 == length)))
    word, start, size = word[keep], start[keep], size[keep]
    counts = np.bincount(word, minlength=len(words)).astype(np.int64)
    first = char_at[word] + start
    b0 = byte_at[first]
    nb = byte_at[first + size] - b0
    # FNV-1a over the bytes of each n-gram, longest first so the active ones are a prefix
    order = np.argsort(-nb, kind="stable")
    b0s, nbs = b0[order], nb[order]
    h = np.full(len(order), _FNV_OFFSET, dtype=np.uint32)
    for t in range(int(nbs[0]) if len(nbs) else 0):
        m = int(np.searchsorted(-nbs, -t, side="left"))  # n-grams longer than t bytes
        byte = raw[b0s[:m] + t].view(np.int8).astype(np.int32).view(np.uint32)
        h[:m] = (h[:m] ^ byte) * _FNV_PRIME
    hashes = np.empty(len(order), dtype=np.int64)
    hashes[order] = h % np.uint32(bucket)
    return hashes, counts


def oov_vectors(kv, words, *, chunk_size=4096, return_counts=False):
    """``kv.get_vector(w)`` for every word of ``words``, none in the vocabulary.

    Same result, bit for bit, as gensim's ``FastTextKeyedVectors.get_vector``
    (the mean of the word's n-gram bucket vectors, added one after the other
    in float32; a zero vector when the word has no n-gram), without its Python
    loop over the n-grams of each word: the n-grams of a chunk of words are
    hashed in one vectorised pass, then the k-th n-gram vectors of all words
    are added in one step, for each k.

    Parameters
    ----------
    kv : gensim.models.fasttext.FastTextKeyedVectors
        Subword vectors (with ``bucket == 0`` no word has an n-gram).
    words : list of str
        Words not in ``kv.key_to_index``.
    chunk_size : int, default=4096
        Words per pass (bounds the temporary arrays).
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
    for lo in range(0, len(words) if kv.bucket else 0, chunk_size):
        chunk = words[lo : lo + chunk_size]
        hashes, counts = ngram_hashes(chunk, kv.min_n, kv.max_n, kv.bucket)
        n_ngrams[lo : lo + len(chunk)] = counts
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
        out[lo + by_count] = acc
    return (out, n_ngrams) if return_counts else out
