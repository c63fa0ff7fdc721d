"""Texts to token-id sequences, for estimators that learn their own embedding."""

from collections import Counter
from itertools import repeat
from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from .._fit_state import check_params_read, keep_state_on_error
from .._sequences import SequenceArray
from .._text import ReadOnceMixin, build_analyzer, check_passes, check_text_input, token_ids
from .._warnings import warn
from ._base import _drop, _reserved_token

__all__ = ["SequenceVectorizer", "PAD_ID", "OOV_ID"]

#: Id reserved for padding (never produced for a token; ``output="padded"`` fills with it).
PAD_ID = 0
#: Id of every out-of-vocabulary token.
OOV_ID = 1


class SequenceVectorizer(ReadOnceMixin, TransformerMixin, BaseEstimator):
    """Turn texts into sequences of token ids, with no vectors.

    The sequence estimators then learn an embedding of size
    ``len(vocabulary_) + 2``. Ids are fixed at ``fit``: ``0`` is reserved for
    padding, ``1`` for out-of-vocabulary tokens, and words get ``2, 3, ...``
    in order of decreasing frequency (ties: first seen first).

    Parameters
    ----------
    analyzer : {"word", "char"}, default="word"
        Tokens are words (see ``tokenizer``) or single characters. With
        ``"char"`` every character is a token, whitespace included: each
        space, tab or newline is a token of its own, and a run of them is
        not collapsed into one space (as ``CountVectorizer(analyzer="char")``
        does), so ``"a  b"`` gives four tokens.
    tokenizer : callable, default=None
        Splits one document string into words. Default: the regex
        ``(?u)\\b\\w+\\b`` (one-character words kept). Ignored for
        ``analyzer="char"``; token-list input is used as is.
    lowercase : bool, default=True
        Lower-case string documents before tokenising.
    strip_accents : {"ascii", "unicode"}, default=None
        Remove accents and perform other character normalisation of string
        documents before tokenising, as in
        :class:`~sklearn.feature_extraction.text.CountVectorizer`. None does
        nothing.
    min_count : int, default=1
        Tokens occurring fewer times in ``fit`` are out of vocabulary.
    max_tokens : int, default=None
        Keep at most this many (most frequent) tokens; the two reserved ids
        are not counted.
    handle_unknown : {"use_oov_id", "ignore"}, default="use_oov_id"
        Map out-of-vocabulary tokens to ``1`` or drop them.
    output : {"sequence", "padded"}, default="sequence"
        A :class:`~sklearn_seq.SequenceArray` of ids (``vectors=None``), or an
        int64 array of shape ``(n_samples, max_length)`` padded with ``0``.
    max_length : int, default=None
        Length of ``output="padded"`` (longer documents keep their first
        tokens); by default the longest training document.

    Attributes
    ----------
    vocabulary_ : dict of str to int
        Token to id (ids start at 2).
    index_to_token_ : list of str
        Token of each id, ``index_to_token_[0] == "<pad>"`` and
        ``index_to_token_[1] == "<unk>"``. If the vocabulary has a token
        ``"<pad>"`` or ``"<unk>"``, that token keeps its own id and the
        reserved entry is named ``"<<pad>>"`` or ``"<<unk>>"`` (one more pair
        of brackets while taken), so no two ids share a name.
    max_length_ : int
        Length of ``output="padded"``: ``max_length``, or the longest training
        document (set whatever ``output`` was at ``fit``).
    n_features_in_ : int
        Columns of a 2D token matrix seen in ``fit`` (only then).
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names of a DataFrame token matrix seen in ``fit`` (only then).

    See Also
    --------
    W2VTransformer : Token ids plus pretrained or trained word vectors.

    Examples
    --------
    >>> from sklearn_seq.embeddings import SequenceVectorizer
    >>> vec = SequenceVectorizer().fit(["the cat sat", "the dog"])
    >>> vec.index_to_token_
    ['<pad>', '<unk>', 'the', 'cat', 'sat', 'dog']
    >>> vec.transform(["the bird sat"]).to_list()
    [array([2, 1, 4])]
    >>> SequenceVectorizer(analyzer="char").fit(["abba"]).transform(["abc"]).to_list()
    [array([2, 3, 1])]
    """

    _parameter_constraints: dict = {
        "analyzer": [StrOptions({"word", "char"})],
        "tokenizer": [callable, None],
        "lowercase": ["boolean"],
        "strip_accents": [StrOptions({"ascii", "unicode"}), None],
        "min_count": [Interval(Integral, 1, None, closed="left")],
        "max_tokens": [Interval(Integral, 1, None, closed="left"), None],
        "handle_unknown": [StrOptions({"use_oov_id", "ignore"})],
        "output": [StrOptions({"sequence", "padded"})],
        "max_length": [Interval(Integral, 1, None, closed="left"), None],
    }

    # the parameters that transform reads (validated there: set_params after fit)
    _transform_params = (
        "analyzer",
        "tokenizer",
        "lowercase",
        "strip_accents",
        "handle_unknown",
        "output",
    )

    def __init__(
        self,
        *,
        analyzer="word",
        tokenizer=None,
        lowercase=True,
        strip_accents=None,
        min_count=1,
        max_tokens=None,
        handle_unknown="use_oov_id",
        output="sequence",
        max_length=None,
    ):
        self.analyzer = analyzer
        self.tokenizer = tokenizer
        self.lowercase = lowercase
        self.strip_accents = strip_accents
        self.min_count = min_count
        self.max_tokens = max_tokens
        self.handle_unknown = handle_unknown
        self.output = output
        self.max_length = max_length

    def _analyzer(self):
        return build_analyzer(
            tokenizer=self.tokenizer,
            lowercase=self.lowercase,
            analyzer=self.analyzer,
            strip_accents=self.strip_accents,
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = True
        tags.transformer_tags.preserves_dtype = []
        return tags

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Build the vocabulary.

        Parameters
        ----------
        X : iterable of str or of token lists, 1D array of str, 2D token matrix, \
                or pathlib.Path
            Training documents (a path or restartable iterable is streamed).
        y : None
            Ignored.

        Returns
        -------
        self : object
            The fitted vectorizer.
        """
        with keep_state_on_error(self):
            self._fit(X)
        return self

    def _fit(self, X):
        corpus = check_text_input(self, X, analyze=self._analyzer(), reset=True, stream=True)
        counts = Counter()
        n_docs = longest = 0
        for doc in corpus:
            counts.update(doc)
            n_docs += 1
            longest = max(longest, len(doc))
        check_passes(corpus)
        if n_docs == 0:
            raise ValueError(
                "SequenceVectorizer.fit got an empty corpus (no documents; an iterator "
                "read already yields none: pass a list)."
            )
        if not counts:
            raise ValueError(
                f"SequenceVectorizer.fit got {n_docs} documents but no tokens: every "
                "document is empty after tokenisation."
            )
        kept = [(t, c) for t, c in counts.items() if c >= self.min_count]
        if not kept:
            raise ValueError(
                f"min_count={self.min_count} removed every token from the vocabulary: the "
                f"most frequent occurs {max(counts.values())} times. Lower min_count."
            )
        kept.sort(key=lambda tc: -tc[1])
        if self.max_tokens is not None:
            kept = kept[: self.max_tokens]
        self.vocabulary_ = {t: i + 2 for i, (t, _) in enumerate(kept)}
        # a token "<pad>" or "<unk>" of the text keeps its id; the reserved entry is renamed
        reserved = [_reserved_token(self.vocabulary_, t) for t in ("<pad>", "<unk>")]
        self.index_to_token_ = reserved + [t for t, _ in kept]
        # whatever the output at fit, so that set_params(output="padded") keeps one width
        self.max_length_ = self.max_length if self.max_length is not None else max(longest, 1)

    def transform(self, X):
        """Map documents to token ids.

        Parameters
        ----------
        X : iterable of str or of token lists, 1D array of str, or 2D token matrix
            Documents to encode.

        Returns
        -------
        Xt : SequenceArray or ndarray of shape (n_samples, max_length)
            Ids, with ``vocabulary=index_to_token_`` and no vectors.
        """
        check_is_fitted(self)
        check_params_read(self, self._transform_params)
        docs = check_text_input(
            self, X, analyze=self._analyzer(), reset=False, lazy=True, known=self.vocabulary_
        )
        default = OOV_ID if self.handle_unknown == "use_oov_id" else -1
        get = self.vocabulary_.get
        ids, lengths = token_ids(
            docs, lambda flat: np.fromiter(map(get, flat, repeat(default)), np.int64, len(flat))
        )
        n = len(lengths)
        if default < 0:
            ids, lengths = _drop(ids, np.repeat(np.arange(n), lengths), ids >= 0, n)
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        words = self.index_to_token_  # shared, not checked per call; copied when read
        seqs = SequenceArray(ids, offsets, vocab_size=len(words))
        seqs._words, seqs._n_words, seqs._new_words = words, len(words), []
        if self.output == "padded":  # (the known tokens of what max_length keeps)
            out = seqs.to_padded(self.max_length_, padding_value=PAD_ID)[0]
            n_empty = n - int(np.count_nonzero((out > OOV_ID).any(axis=1)))
        else:
            out = seqs
            n_empty = n - int(np.count_nonzero(_any_known(ids, offsets)))
        # unknown ids are kept: a few such documents are the rare-word tail (one in a
        # hundred of short glosses), most of them text tokenised or written otherwise
        if n_empty > (0.1 * n if default == OOV_ID else 0) or not lengths.all():
            if default == OOV_ID:
                become = f"they hold only the unknown id {OOV_ID}" + (
                    f" or padding (id {PAD_ID})" if self.output == "padded" else ", or nothing"
                )
            elif self.output == "padded":
                become = f"their rows are all padding (id {PAD_ID})"
            else:
                become = "they become zero-length sequences"
            causes = []  # what made known words unknown, if anything did
            if self.min_count > 1:
                causes.append(
                    (f"seen fewer than min_count={self.min_count} times in fit", "lower min_count")
                )
            if self.max_tokens is not None:
                causes.append((f"past max_tokens={self.max_tokens}", "raise max_tokens"))
            if causes:
                become += (
                    f" (words {' or '.join(c[0] for c in causes)} are unknown: "
                    f"{' or '.join(c[1] for c in causes)} to keep rare words)"
                )
            warn(f"{n_empty} of {n} documents have no known tokens; {become}.", UserWarning)
        return out


def _any_known(ids, offsets):
    """Whether each document holds an id above ``OOV_ID`` (a byte a token, no index array)."""
    found = np.zeros(len(offsets) - 1, dtype=bool)
    nonempty = offsets[1:] > offsets[:-1]
    if nonempty.any():  # segments of the non-empty documents start where each one starts
        found[nonempty] = np.logical_or.reduceat(ids > OOV_ID, offsets[:-1][nonempty])
    return found
