"""Registry eligibility text -> "You may be able to join if" and "You cannot join if" lists.

The registry's eligibility criteria are free text. Most records follow its markdown
("Inclusion Criteria:\\n\\n* point\\n  * nested point\\n\\nExclusion Criteria:\\n\\n* point"), but
hand-written records number their points, mix bullet characters, wrap lines and run points
together. `parse_criteria` reads the text line by line, keeping a stack of the points still open
for sub-points, and returns None when it finds no inclusion or exclusion heading: the page then
shows the text as written.

Nothing is dropped: every word of the text, apart from the two headings and the list markers
("*", "1.", "a)"), ends up in some Item. Headings it cannot classify are kept as items.
"""

import re
from dataclasses import dataclass, field


@dataclass
class Item:
    """One point, with its sub-points (any depth)."""

    text: str
    children: list["Item"] = field(default_factory=list)


@dataclass
class Criteria:
    inclusion: list[Item] = field(default_factory=list)
    exclusion: list[Item] = field(default_factory=list)
    # Text outside the two lists: a preamble before the first heading, or a section such as
    # "Donor inclusion criteria:" (kept as one item, its points as children), which must not be
    # shown as the patient's own criteria.
    other: list[Item] = field(default_factory=list)


# A markdown backslash escape ("\<", "\[", "\*"): the registry escapes these characters so they
# are not read as markup; the page wants the character itself.
ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")

# List markers at the start of a line. A bullet needs a space (or the line's end) after it:
# "**bold**" and "-5" are not bullets. The typographic bullets are never anything else.
BULLET = re.compile(r"([*+-])(\s+|$)|([•◦▪])\s*")
# "1." "1)" "(1)" "a." "A)" "iv." - followed by a space or the line's end, so "1.5 mg" and "e.g."
# are text.
LABEL = re.compile(r"\(?(\d{1,3}|[ivx]{1,5}|[IVX]{1,5}|[A-Za-z])[.)](\s+|$)")

# Words that may stand around "inclusion criteria" in a heading without changing whose criteria
# they are: "Key Inclusion Criteria", "Inclusion criteria for patients".
PLAIN_HEADING_WORDS = {
    "key",
    "main",
    "general",
    "major",
    "principal",
    "study",
    "for",
    "all",
    "patient",
    "patients",
    "participant",
    "participants",
    "subject",
    "subjects",
    "recipient",
    "recipients",
}
CRITERIA_WORDS = {"criteria", "criterion"}


def unescape(text):
    return ESCAPE.sub(r"\1", text)


def read_heading(line):
    """'INCLUSION CRITERIA:' -> ('inclusion', None, '').

    Returns (kind, title, rest) or None when the line is not a heading. kind is 'inclusion',
    'exclusion' or 'other' (a donor's criteria); title is the heading as written when it says
    more than which list this is ("Inclusion Criteria for Part B:"), else None; rest is any text
    after the heading's colon ("Inclusion criteria: age 18 or over").
    """
    # Markdown heading, bold or a bullet around the heading: "## **Inclusion Criteria:**".
    core = line.strip().strip("#*_-• ").strip()
    head, colon, rest = core.partition(":")
    rest = rest.strip("*_ ")
    words = re.findall(r"[a-z0-9]+", head.lower())
    if not words or len(words) > 8:
        return None
    kinds = [word for word in words if word in ("inclusion", "exclusion")]
    if len(kinds) != 1:  # "Inclusion and exclusion criteria" says nothing about what follows
        return None
    kind = kinds[0]
    position = words.index(kind)
    after = words[position + 1 :]
    if after and after[0] not in CRITERIA_WORDS:  # "inclusion of women": a sentence
        return None
    before, qualifiers = words[:position], after[1:]
    plain = all(word in PLAIN_HEADING_WORDS for word in before + qualifiers)
    donor = "donor" in words or "donors" in words
    # A heading ending in a colon may say anything more ("Cohort A inclusion criteria:"). Without
    # that colon, or with text after it, it must be a plain one: "Inclusion criteria met" and
    # "Exclusion criteria of the parent study: ..." are sentences. "Inclusion Criteria for Part B"
    # and "Donor inclusion criteria" are headings, colon or not.
    ends_in_colon = colon and not rest
    titled = donor or (not colon and qualifiers[:1] == ["for"])
    if not (ends_in_colon or plain or titled):
        return None
    title = head.strip("*_ ") + colon
    if donor:
        return "other", title, rest
    return kind, None if plain else title, rest


def read_marker(line):
    """'  1. Age 18' -> ('number', '1', 'Age 18'); '* Age 18' -> ('*', '', 'Age 18'); a line
    without a marker -> ('text', '', line)."""
    text = line.strip()
    bullet = BULLET.match(text)
    if bullet:
        symbol = bullet.group(1) or bullet.group(3)
        return symbol, "", text[bullet.end() :]
    label = LABEL.match(text)
    if label:
        name = label.group(1)
        return label_style(name), name, text[label.end() :]
    return "text", "", text


def label_style(name):
    """The kind of numbering, so that "a." under "1." is seen as a different list."""
    if name.isdigit():
        return "number"
    if set(name) <= set("ivx"):  # "i." is taken as a roman one, not as the ninth letter
        return "roman"
    if set(name) <= set("IVX"):
        return "ROMAN"
    return "lower" if name.islower() else "upper"


def next_label(name):
    return str(int(name) + 1) if name.isdigit() else chr(ord(name) + 1)


def split_run_on(text, label):
    """'aged 18 2) diagnosed with B-ALL 3) consent' (after a "1." marker) -> three points.

    Some records lost their line breaks, so a numbered list arrives as one line. Only a run that
    starts at 1 / a / A and counts up is split, and only when it has at least three points or
    every point before a break ends with ";": "grade 1 or 2. Patients ..." stays whole.
    """
    if label not in ("1", "a", "A"):
        return [text]
    pieces = []
    rest = text
    while True:
        label = next_label(label)
        found = re.search(r"\s\(?" + re.escape(label) + r"[.)]\s", rest)
        if not found:
            break
        pieces.append(rest[: found.start()].strip())
        rest = rest[found.end() :]
    pieces.append(rest.strip())
    if len(pieces) >= 3 or all(piece.endswith(";") for piece in pieces[:-1]):
        return pieces
    return [text]


@dataclass
class Open:
    """A point that later lines may still continue or add sub-points to."""

    indent: int
    style: str  # "*", "•", "number", "lower", ... or "text" for a paragraph without a marker
    item: Item


def pop_to_parent(stack, indent, style):
    """Pop the stack until its top is the parent of a new point at this indent and style (an
    empty stack: the new point is a top-level one)."""
    # Points indented deeper than the new one are finished.
    while stack and stack[-1].indent > indent:
        stack.pop()
    if not stack or stack[-1].indent < indent:
        return  # indented under the top: a sub-point of it
    # Same indent as the top. A point of the same style at this indent is a sibling, even when
    # sub-points (of another style) came in between: "1. ... a. ... b. ... 2. ...".
    for depth in range(len(stack) - 1, -1, -1):
        if stack[depth].indent != indent:
            break
        if stack[depth].style == style:
            del stack[depth:]
            return
    # A point ending with ":" announces sub-points; unindented ones show as a change of style:
    # "* Meet one of the following:" then "A. Provisional low-risk ...".
    if stack[-1].item.text.endswith(":"):
        return
    stack.pop()  # otherwise a sibling of the top (NCT04556084 mixes "*" and "•" in one list)


def add_point(points, stack, indent, style, texts):
    pop_to_parent(stack, indent, style)
    siblings = stack[-1].item.children if stack else points
    for text in texts:
        siblings.append(Item(text))
    stack.append(Open(indent, style, siblings[-1]))


def continue_point(item, text):
    item.text = f"{item.text} {text}".strip()


def section_points(criteria, kind, title):
    """The list that the points under a heading go into."""
    if kind == "other":
        target = criteria.other
    else:
        target = criteria.inclusion if kind == "inclusion" else criteria.exclusion
    if title is None:
        return target
    # A heading that says more than "inclusion criteria" is kept, with its points under it.
    group = Item(unescape(title))
    target.append(group)
    return group.children


def tidy(items):
    """Drop empty points (a bare "*" line), lifting any sub-points they had into their place."""
    tidied = []
    for item in items:
        item.children = tidy(item.children)
        if item.text:
            tidied.append(item)
        else:
            tidied.extend(item.children)
    return tidied


def parse_criteria(text: str | None) -> Criteria | None:
    """The registry's eligibility text -> Criteria, or None when it has no inclusion or
    exclusion heading (or no points under them)."""
    if not text or not text.strip():
        return None
    criteria = Criteria()
    found_heading = False
    points = criteria.other  # before any heading, text is preamble
    stack = []  # the open points, outermost first
    after_blank = True  # the next line starts a new paragraph

    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.expandtabs(4)
        if not line.strip():
            after_blank = True
            continue

        heading = read_heading(line)
        if heading:
            kind, title, rest = heading
            found_heading = found_heading or kind != "other"
            points = section_points(criteria, kind, title)
            stack = []
            after_blank = True
            if not rest:
                continue
            line = rest  # "Inclusion criteria: age 18 or over": the rest is the first point

        indent = len(line) - len(line.lstrip())
        style, label, body = read_marker(line)
        body = unescape(body)

        if style == "text" and stack:
            top = stack[-1]
            # A line right under a point, or a paragraph indented under it, continues it - unless
            # the point ends with ":" and this paragraph is what it announces.
            if not after_blank or (indent > top.indent and not top.item.text.endswith(":")):
                continue_point(top.item, body)
                after_blank = False
                continue

        texts = split_run_on(body, label) if label else [body]
        add_point(points, stack, indent, style, texts)
        after_blank = False

    criteria.inclusion = tidy(criteria.inclusion)
    criteria.exclusion = tidy(criteria.exclusion)
    criteria.other = tidy(criteria.other)
    if not found_heading or not (criteria.inclusion or criteria.exclusion):
        return None
    return criteria
