"""Shared training code for the gensim-backed transformers (Word2Vec, FastText)."""

import threading
from numbers import Integral, Real

import numpy as np
from gensim.models.callbacks import CallbackAny2Vec
from sklearn.base import _fit_context
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted

from .._text import check_passes, check_text_input
from .._warnings import warn
from ._base import BaseEmbeddingTransformer, _count, _non_finite

try:  # gensim's compiled trainers skip the words of a sentence past this many
    from gensim.models.word2vec import MAX_WORDS_IN_BATCH
except ImportError:  # pragma: no cover - gensim without its compiled routines
    MAX_WORDS_IN_BATCH = 10_000

__all__ = ["GensimEmbeddingTransformer"]


class _Chunked:
    """A corpus with every document cut into consecutive pieces of at most ``size``
    tokens, of equal sizes.

    gensim trains on the first ``MAX_WORDS_IN_BATCH`` words of a sentence only:
    the words of a longer document would keep their random start vectors.
    Restartable and streamed like the corpus it wraps (each ``iter()`` re-reads it).
    With ``check=True`` a pass ends by raising the error a streamed corpus
    recorded in it (only for a pass read in the calling thread, not by gensim's
    training threads).
    """

    def __init__(self, corpus, size=MAX_WORDS_IN_BATCH, *, check=False, keep_error=False):
        self.corpus = corpus
        self.size = size
        self.check = check
        self.keep_error = keep_error
        self.error = None
        self.stopped = False  # set to end the passes early (a Ctrl-C, see _train)

    def __iter__(self):
        if self.error is not None or self.stopped:
            return
        try:
            yield from self._pieces()
        except Exception as exc:
            if not self.keep_error:
                raise
            self.error = exc  # ends the pass; the caller raises it
        if self.check:
            check_passes(self.corpus)

    def _pieces(self):
        size = self.size
        for doc in self.corpus:
            if self.stopped:
                return
            if len(doc) <= size:
                yield doc
            else:  # pieces of equal size: no short last piece (one token has no context)
                n_pieces = -(-len(doc) // size)
                bounds = [len(doc) * k // n_pieces for k in range(n_pieces + 1)]
                for start, end in zip(bounds[:-1], bounds[1:], strict=True):
                    yield doc[start:end]


class _StopBeforeEpoch(CallbackAny2Vec):
    """Ends gensim's training before its next epoch once ``chunks.stopped``."""

    def __init__(self, chunks):
        self.chunks = chunks

    def on_epoch_begin(self, model):
        if self.chunks.stopped:
            raise KeyboardInterrupt  # (the caller raises its own exception)


# a vector value above this is a diverged training (FastText's CBOW at alpha=0.25 and 10+
# epochs on all the bundled glosses: 3.6e5-1e12), not a trained one (<= 25 measured)
_DIVERGED = 1e3


def _train(model, corpus):
    """``model.train`` on the corpus's pieces. gensim reads the corpus in a thread of
    its own, where an error (a bad document on a later pass) would end that thread
    and leave training waiting forever: it ends the pass instead and is raised here.
    A training that diverged to NaN or infinite vectors is an error too.

    gensim's threads wait on queues that its main loop drains: a Ctrl-C in that
    loop left them, holding the model, blocked for good. The loop runs in a thread
    of its own; a Ctrl-C (or any exception that interrupts the wait) ends the
    passes over the corpus, lets it finish, and is raised then."""
    chunks = _Chunked(corpus, keep_error=True)
    failed, done = [], threading.Event()

    def train():
        try:
            model.train(
                corpus_iterable=chunks,
                total_examples=model.corpus_count,
                total_words=model.corpus_total_words,
                epochs=model.epochs,
                callbacks=[_StopBeforeEpoch(chunks)],
            )
        except BaseException as exc:  # raised in the caller
            failed.append(exc)
        finally:
            done.set()

    threading.Thread(target=train, name="sklearn_seq-gensim-train", daemon=True).start()
    try:  # (an Event: a Thread.join that a Ctrl-C interrupted may return early later)
        while not done.wait(0.5):
            pass
    except BaseException:  # a Ctrl-C, or an exception from another signal's handler
        chunks.stopped = True  # the epoch's pass ends, and no epoch starts after it
        done.wait()
        raise
    if failed:
        raise failed[0]
    if chunks.error is not None:
        raise chunks.error
    bad = _non_finite(model.wv)
    if bad:
        raise ValueError(
            f"{type(model).__name__} training diverged (NaN or infinite values {bad}): "
            f"lower alpha (now {model.alpha}); fewer epochs can help too."
        )
    table = model.wv.vectors
    largest = max(float(table.max(initial=0)), -float(table.min(initial=0)))
    if largest > _DIVERGED:
        warn(
            f"{type(model).__name__} vectors reach {largest:.3g}, far above trained word "
            f"vectors (whose values stayed below 30 on the bundled WordNet glosses): the "
            f"training probably diverged. Lower alpha (now {model.alpha}) or the epochs."
        )


def _has_pair(chunks, key_to_index):
    """Whether some document has two tokens of the vocabulary (stops at the first).

    gensim drops the unknown tokens of a document before taking its windows, so
    such a document gives a training pair; without one nothing is trained.
    """
    for doc in chunks:
        known = 0
        for token in doc:
            if token in key_to_index:
                known += 1
                if known == 2:
                    return True
    return False


class GensimEmbeddingTransformer(BaseEmbeddingTransformer):
    """Base of W2VTransformer and FastTextTransformer: builds and trains a gensim model."""

    _parameter_constraints: dict = {
        **BaseEmbeddingTransformer._parameter_constraints,
        "window": [Interval(Integral, 1, None, closed="left")],
        "min_count": [Interval(Integral, 1, None, closed="left")],
        "sg": [Interval(Integral, 0, 1, closed="both")],
        "hs": [Interval(Integral, 0, 1, closed="both")],
        "negative": [Interval(Integral, 0, None, closed="left")],
        "cbow_mean": [Interval(Integral, 0, 1, closed="both")],
        "sample": [Interval(Real, 0, None, closed="left")],
        # gensim's learning rates: FastText's CBOW diverged on the bundled glosses from
        # alpha=0.5 (vectors of 1e13, or a segfault inside gensim)
        "alpha": [Interval(Real, 0, 0.25, closed="right")],
        "min_alpha": [Interval(Real, 0, 0.25, closed="both")],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "workers": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    _gensim_class = None
    # training parameters that partial_fit applies to the continued training (the
    # gensim model's attributes of the same names); those that shape the model
    # (vector_size, hs, negative, _gensim_params) cannot change without a refit
    _continued_params = (
        "window",
        "min_count",
        "sg",
        "cbow_mean",
        "sample",
        "alpha",
        "min_alpha",
        "epochs",
        "workers",
    )

    def _gensim_params(self):
        return {}

    def _shape_params(self):
        """The ``_gensim_params`` as the gensim model keeps them (``partial_fit``
        refuses a change of them)."""
        return self._gensim_params()

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # (a workers value set after fit is checked where training reads it)
        tags.non_deterministic = isinstance(self.workers, Integral) and self.workers > 1
        return tags

    def _check_training_params(self):
        if self.min_alpha > self.alpha:
            raise ValueError(
                f"min_alpha={self.min_alpha} is larger than alpha={self.alpha}: gensim would "
                "train at min_alpha throughout, and alpha would have no effect. The rate "
                "decays from alpha to min_alpha: set min_alpha <= alpha."
            )

    def _train(self, corpus, vector_size):
        seed = int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
        model = self._gensim_class(
            vector_size=vector_size,
            window=self.window,
            min_count=self.min_count,
            sg=self.sg,
            hs=self.hs,
            negative=self.negative,
            cbow_mean=self.cbow_mean,
            sample=self.sample,
            alpha=self.alpha,
            min_alpha=self.min_alpha,
            epochs=self.epochs,
            workers=self.workers,
            seed=seed,
            **self._gensim_params(),
        )
        # gensim counts the pieces in build_vocab (corpus_count), and train's
        # progress and learning-rate decay expect that many examples per epoch
        chunks = _Chunked(corpus)
        model.build_vocab(corpus_iterable=chunks, keep_raw_vocab=True)
        check_passes(corpus)
        if len(model.wv.index_to_key) == 0:
            raise self._min_count_error(list(model.raw_vocab.values()), self.min_count)
        model.raw_vocab = {}
        self._warn_if_no_pair(chunks, model, "the vectors are untrained random vectors")
        _train(model, corpus)
        self._model = model
        return model.wv

    def _warn_if_no_pair(self, chunks, model, result):
        if not _has_pair(chunks, model.wv.key_to_index):
            advice = "Pass documents of several words" + (
                " or lower min_count." if self.min_count > 1 else "."
            )
            warn(
                f"{type(self).__name__} found no pair of words to train on (no document "
                "has two known tokens, words occurring at least min_count="
                f"{self.min_count} times): {result}. {advice}",
                UserWarning,
            )

    def partial_fit(self, X, y=None):
        """Continue training on more documents (new words join the vocabulary).

        Existing words keep their ids; words reaching ``min_count`` in ``X``
        are appended after them. On an unfitted transformer this is ``fit``.
        The parameters are validated on every call, and the current values of
        ``window``, ``min_count``, ``sg``, ``cbow_mean``, ``sample``,
        ``alpha``, ``min_alpha``, ``epochs`` and ``workers`` apply to the
        continued training (as with ``SGDClassifier.partial_fit``; gensim
        recomputes the down-sampling of ``sample`` for the words ``X`` brings
        to ``min_count`` only, relative to ``X``'s word count, except that
        ``sample=0`` turns it off for all); a change of those that shape the
        model (``vector_size``, ``hs``, ``negative``, and FastText's
        ``min_n``, ``max_n``, ``bucket``) is refused.
        The training state lives in memory only: a transformer restored from a
        pickle, or one loaded from ``pretrained``, cannot continue training.
        ``X`` is read once before the model changes (for its longest document,
        which can raise ``max_length_``, and to see that an iterable starts
        over), so a call refused for its input leaves the transformer as it
        was. An iterable that changes only on a later pass (while gensim
        trains), or a training that diverges, raises its error too, but keeps
        the words and training done by then.

        Parameters
        ----------
        X : iterable of str or of token lists, 1D array of str, 2D token matrix, \
                or pathlib.Path
            More training documents.
        y : None
            Ignored.

        Returns
        -------
        self : object
            The updated transformer.
        """
        return self._partial_fit(X)

    @_fit_context(prefer_skip_nested_validation=True)
    def _partial_fit(self, X):  # (not named partial_fit: validated on every call)
        if not hasattr(self, "wv_"):
            return self.fit(X)
        check_is_fitted(self)
        model = getattr(self, "_model", None)
        if model is None:
            raise ValueError(
                f"{type(self).__name__}.partial_fit needs the gensim training state, which "
                "is not kept for pretrained vectors nor after pickling. Call fit instead."
            )
        fixed = {
            "vector_size": (self._resolved_vector_size(), model.wv.vector_size),
            "hs": (self.hs, model.hs),
            "negative": (self.negative, model.negative),
            **{k: (v, getattr(model.wv, k)) for k, v in self._shape_params().items()},
        }
        changed = [f"{k}={v!r} (fitted with {was!r})" for k, (v, was) in fixed.items() if v != was]
        if changed:
            raise ValueError(
                f"{'; '.join(changed)}: partial_fit continues the fitted model, which these "
                "parameters would change. Set them back, or call fit."
            )
        self._check_training_params()
        corpus = check_text_input(self, X, analyze=self._analyzer(), reset=False, stream=True)
        # build_vocab updates the model in place: make its pass the second, so that
        # an iterable that does not start over is refused before anything changes
        longest = _count(corpus, self._check_document)[2]
        check_passes(corpus)
        shared = model.wv.vectors  # earlier outputs share it (SequenceArray.vectors)
        for name in self._continued_params:
            setattr(model, name, getattr(self, name))
        model.build_vocab(corpus_iterable=_Chunked(corpus, check=True), update=True)
        chunks = _Chunked(corpus)
        self._warn_if_no_pair(
            chunks, model, "nothing was trained (new words keep random start vectors)"
        )
        kv = model.wv
        if kv.vectors is shared:  # no new word: gensim would train the shared array in
            # place; it trains a copy, so earlier outputs keep the values they were made with
            kv.vectors = shared.copy()
            if getattr(kv, "vectors_vocab", None) is shared:  # FastText, bucket=0: one array
                kv.vectors_vocab = kv.vectors
        _train(model, corpus)
        check_passes(corpus)
        self.wv_ = model.wv
        self._set_max_length(max(self.max_length_, longest))
        return self
