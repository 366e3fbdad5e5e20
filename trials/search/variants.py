"""British and American medical spellings find each other: the index holds the American form of
every British word beside it, and queries are read in American spelling."""

import re

BRITISH_STEMS = {
    "leukaem": "leukem",
    "anaem": "anem",
    "haem": "hem",
    "aemia": "emia",
    "oedem": "edem",
    "oesophag": "esophag",
    "oestr": "estr",
    "paediatr": "pediatr",
    "paed": "ped",
    "tumour": "tumor",
    "foet": "fet",
    "randomis": "randomiz",
    "centre": "center",
    "behaviour": "behavior",
    "gynaec": "gynec",
    "ischaem": "ischem",
    "orthopaed": "orthoped",
}
BRITISH = re.compile("|".join(sorted(BRITISH_STEMS, key=len, reverse=True)), re.IGNORECASE)


def american(word):
    return BRITISH.sub(lambda match: BRITISH_STEMS[match.group(0).lower()], word.lower())
