"""Loader for the WordNet 3.0 glosses labelled with their lexicographer file."""

import numpy as np
import pandas as pd
from sklearn.utils import Bunch
from sklearn.utils._param_validation import validate_params

from ._base import _data_file, _load_descr

__all__ = ["load_wordnet_glosses"]

# Part of speech -> WordNet synset types (``s`` marks adjective satellites).
_POS_TYPES = {"noun": ("n",), "verb": ("v",), "adj": ("a", "s"), "adv": ("r",)}
_TYPE_POS = {t: pos for pos, types in _POS_TYPES.items() for t in types}


def _read_glosses():
    with _data_file("wordnet_glosses.csv.gz").open("rb") as f:
        return pd.read_csv(
            f,
            compression="gzip",
            dtype={"offset": np.int64, "ss_type": str, "lexname": str},
            keep_default_na=False,  # glosses and lemmas such as "null" or "NA" stay text
            na_filter=False,
        )


@validate_params(
    {"return_X_y": ["boolean"], "as_frame": ["boolean"]},
    prefer_skip_nested_validation=True,
)
def load_wordnet_glosses(*, pos=None, return_X_y=False, as_frame=False):
    """Load the WordNet 3.0 glosses labelled with their lexicographer file.

    Each of the 117,659 WordNet synsets is one sample: its gloss (a short
    definition, often followed by quoted usage examples) is the text, and the
    lexicographer file it belongs to (``noun.animal``, ``verb.motion``, ...)
    is the class. There are 45 classes, strongly unbalanced.

    The data are bundled with the package; nothing is downloaded. Read more in
    ``DESCR``.

    =================   ================
    Classes                           45
    Samples total                117,659
    Samples per class          42-14,435
    Features                 text (str)
    =================   ================

    Parameters
    ----------
    pos : {"noun", "verb", "adj", "adv"}, default=None
        Keep only the synsets of one part of speech (82,115 nouns in 26
        classes, 13,767 verbs in 15, 18,156 adjectives in 3, 3,621 adverbs in
        1). ``None`` keeps all of them.

    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.

    as_frame : bool, default=False
        If True, ``data`` is a pandas Series of str, ``target`` a pandas Series
        of int and ``frame`` a DataFrame with the columns ``offset``, ``pos``,
        ``lemmas``, ``gloss``, ``lexname`` and ``target``.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        data : list of str of length n_samples, or pandas Series
            The glosses.
        target : ndarray of shape (n_samples,), or pandas Series
            The class of each gloss, an index into ``target_names``.
        target_names : ndarray of str of shape (n_classes,)
            The sorted names of the lexicographer files present in the
            selection (45 when ``pos=None``).
        lemmas : list of str of length n_samples
            The words of each synset, separated by ``"; "``.
        pos : ndarray of str of shape (n_samples,)
            The part of speech of each synset: ``"noun"``, ``"verb"``,
            ``"adj"`` or ``"adv"``.
        frame : pandas DataFrame of shape (n_samples, 6)
            Only present when ``as_frame=True``; ``None`` otherwise.
        DESCR : str
            The full description of the dataset, including WordNet's licence.

    (data, target) : tuple if ``return_X_y`` is True
        The glosses and their classes, as described above.

    Raises
    ------
    ValueError
        If ``pos`` is not one of the valid choices.

    Notes
    -----
    WordNet 3.0 is Copyright 2006 by Princeton University and distributed
    under the WordNet licence, reproduced in ``DESCR`` and in the package's
    ``datasets/data/LICENSE_wordnet.txt``. The bundled file was generated from
    Debian's ``wordnet-base`` package by ``scripts/make_wordnet_glosses.py``.

    References
    ----------
    .. [1] George A. Miller (1995). WordNet: A Lexical Database for English.
       Communications of the ACM, 38(11): 39-41.

    Examples
    --------
    >>> from sklearn_seq.datasets import load_wordnet_glosses
    >>> glosses = load_wordnet_glosses()
    >>> len(glosses.data), len(glosses.target_names)
    (117659, 45)
    >>> print(glosses.data[1])
    an entity that has physical existence
    >>> print(glosses.target_names[glosses.target[1]])
    noun.Tops
    >>> verbs = load_wordnet_glosses(pos="verb")
    >>> len(verbs.data), len(verbs.target_names)
    (13767, 15)
    >>> X, y = load_wordnet_glosses(return_X_y=True)
    >>> len(X), y.shape
    (117659, (117659,))
    """
    if pos is not None and (not isinstance(pos, str) or pos not in _POS_TYPES):
        raise ValueError(f"pos must be one of {sorted(_POS_TYPES)} or None, got {pos!r}.")

    df = _read_glosses()
    if pos is not None:
        df = df[df["ss_type"].isin(_POS_TYPES[pos])].reset_index(drop=True)

    target_names = np.array(sorted(df["lexname"].unique()))
    target = np.searchsorted(target_names, df["lexname"].to_numpy()).astype(np.int64)
    pos_col = df["ss_type"].map(_TYPE_POS).to_numpy()
    descr = _load_descr("wordnet_glosses.rst")

    frame = None
    if as_frame:
        frame = pd.DataFrame(
            {
                "offset": df["offset"],
                "pos": pos_col,
                "lemmas": df["lemmas"],
                "gloss": df["gloss"],
                "lexname": df["lexname"],
                "target": target,
            }
        )
        data, target = frame["gloss"], frame["target"]
    else:
        data = df["gloss"].tolist()

    if return_X_y:
        return data, target

    return Bunch(
        data=data,
        target=target,
        target_names=target_names,
        lemmas=df["lemmas"].tolist(),
        pos=pos_col,
        frame=frame,
        DESCR=descr,
    )
