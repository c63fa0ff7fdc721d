"""Parameter documentation written once and shared by the transformers."""

SHARED_PARAMS = """\
    tokenizer : callable, default=None
        Splits one document string into tokens. Default: the regex
        ``(?u)\\b\\w+\\b`` (runs of word characters; one-character words kept).
        Token-list input is used as is and never tokenised.
    lowercase : bool, default=True
        Lower-case string documents before tokenising.
    strip_accents : {"ascii", "unicode"}, default=None
        Remove accents and perform other character normalisation of string
        documents before tokenising, as in
        :class:`~sklearn.feature_extraction.text.CountVectorizer`: "ascii"
        keeps only characters with a direct ASCII mapping, "unicode" works on
        any character (slower). None does nothing.
    output : {"sequence", "mean", "padded"}, default="sequence"
        ``"sequence"``: a :class:`~sklearn_seq.SequenceArray` of token ids
        with the vector table and vocabulary, for the sequence estimators.
        ``"mean"``: one float32 vector per document (the mean of its token
        vectors; zeros for an empty document), for linear models.
        ``"padded"``: a float32 array of shape
        ``(n_samples, max_length, vector_size)``, zero-padded at the end.
    max_length : int, default=None
        Length of ``output="padded"`` (longer documents keep their first
        ``max_length`` tokens). By default the longest training document.
"""

PRETRAINED_PARAM = """\
    pretrained : str, path-like or gensim KeyedVectors, default=None
        Load vectors instead of training: a word2vec text or binary file, a
        GloVe text file (no header), a Facebook fastText ``.bin`` model, or a
        ``KeyedVectors``. The format is read from the file's first bytes;
        files may be compressed, named with their compression's suffix
        (``.gz``, ``.bz2``). The training parameters
        are then ignored. With ``lowercase=True``, pretrained words with
        uppercase letters never match string documents.
"""

UNKNOWN_PARAM = """\
    handle_unknown : {"ignore", "use_unknown_vector"}, default="ignore"
        Words not in the fitted vocabulary are dropped (``"ignore"``) or all
        mapped to one extra all-zero vector with id ``len(wv_)`` and token
        ``"<unk>"`` (``"use_unknown_vector"``), so sequence lengths keep the
        unknown words. The unknown vector is zero: it lowers an
        ``output="mean"`` average, and a document of unknown words only gives
        a zero vector (with the warning of documents without known tokens).
        If the vocabulary has a word ``"<unk>"`` (a corpus that marks rare
        words so), that word keeps its own vector and the extra entry is
        named ``"<<unk>>"``.
"""

SHARED_ATTRS = """\
    wv_ : gensim.models.KeyedVectors
        The word vectors. ``wv_.index_to_key`` is the fitted vocabulary in id
        order: id ``i`` is row ``i`` of every vector table this transformer
        returns. gensim's ``evaluate_word_pairs`` and
        ``evaluate_word_analogies`` work on it.
    max_length_ : int
        Length of ``output="padded"``: ``max_length``, or the longest training
        document, of ``fit`` and any ``partial_fit`` (set whatever ``output``
        was at ``fit``, so that ``set_params(output="padded")`` gives train
        and test arrays one width).
    n_features_in_ : int
        Number of columns of a 2D token matrix seen in ``fit``; only set when
        ``fit`` got such a matrix.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names of a DataFrame seen in ``fit``.
"""

INPUT_NOTES = """\
    Input (``fit`` and ``transform``) is an iterable of strings or of token
    lists, a 1D array or pandas Series of strings, or a 2D matrix whose rows
    are token sequences (``str`` of every cell is a token; one column of texts
    with spaces, such as ``df[["text"]]``, is refused: pass ``df["text"]``).
    ``fit`` also streams a :class:`pathlib.Path` (one document per line) or a
    restartable iterable. Documents left with no known token are legal: a
    zero-length sequence (all zeros for ``output="mean"`` and ``"padded"``),
    with one warning per call.
"""


def fill_doc(cls):
    """Substitute the shared sections into ``cls.__doc__`` (placeholders in braces)."""
    doc = cls.__doc__
    for key, text in {
        "{shared}": SHARED_PARAMS,
        "{unknown}": UNKNOWN_PARAM,
        "{pretrained}": PRETRAINED_PARAM,
        "{attrs}": SHARED_ATTRS,
        "{notes}": INPUT_NOTES,
    }.items():
        doc = doc.replace(key, text)
    cls.__doc__ = doc
    return cls
