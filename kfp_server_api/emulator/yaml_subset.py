"""A bounded reader of the YAML that pipeline files are written in (standard library only).

The real server reads pipeline files with go-yaml (YAML 1.1 scalars) through ghodss/yaml,
which turns the document into JSON. ``load_yaml`` does the same for the YAML that the KFP SDKs,
Argo and people write:

- block mappings and sequences (including a sequence at its key's indentation, and
  ``- key: value`` entries), flow mappings and sequences over several lines, comments;
- plain, single-quoted and double-quoted scalars over several lines (folded as YAML folds
  them), with every double-quoted escape; literal (``|``) and folded (``>``) block scalars with
  chomping and indentation indicators;
- YAML 1.1 scalar types as go-yaml resolves them (``yes``/``no``/``on``/``off`` are booleans,
  ``~`` is null, ``0x1f`` an integer), the ``!!str``/``!!int``/``!!float``/``!!bool``/
  ``!!null`` tags, anchors, aliases and ``<<`` merge keys;
- the first document of a stream (``---``, ``...`` and ``%`` directives).

Bounds, so that no input can take unbounded memory or time: the document is UTF-8 (a UTF-16
byte-order mark is accepted too), collections nest at most ``MAX_DEPTH`` deep, and the
document with every alias expanded may weigh at most ``MAX_EXPANDED_WEIGHT`` (each node counts
one, each scalar its length more): an alias bomb ("billion laughs") is refused with go-yaml's
``document contains excessive aliasing``.

Not read (``YamlError``): complex keys (``? key``), tabs in indentation, and NaN or infinite
numbers (JSON has none). Other tags are ignored. Error texts follow go-yaml's form
(``yaml: line N: <reason>``) without claiming its exact wording.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

__all__ = ["MAX_DEPTH", "MAX_EXPANDED_WEIGHT", "YamlError", "load_yaml"]

MAX_DEPTH = 200
"""Deepest nesting of collections accepted."""
MAX_EXPANDED_WEIGHT = 64 * 1024 * 1024
"""Most a document may weigh with its aliases expanded (a node counts 1, a scalar its length
more): twice the largest pipeline file the server accepts."""

_BOOLEANS = {
    **dict.fromkeys(("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE"), True),
    **dict.fromkeys(("on", "On", "ON"), True),
    **dict.fromkeys(("n", "N", "no", "No", "NO", "false", "False", "FALSE"), False),
    **dict.fromkeys(("off", "Off", "OFF"), False),
}
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_SPECIAL_FLOATS = frozenset(
    f"{sign}.{word}" for sign in ("", "+", "-") for word in ("nan", "NaN", "NAN", "inf", "Inf")
) | frozenset(f"{sign}.INF" for sign in ("", "+", "-"))
_INT = re.compile(r"[-+]?(0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|0|[1-9][0-9_]*)")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?")
_ESCAPES = {
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "t": "\t",
    "\t": "\t",
    "n": "\n",
    "v": "\v",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "/": "/",
    "\\": "\\",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}
_FLOW_INDICATORS = ",[]{}"


class YamlError(ValueError):
    """The bytes are not a YAML document this reader accepts."""


def load_yaml(data: bytes) -> Any:
    """The first document of ``data`` as JSON-compatible Python values."""
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    try:
        text = data.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError as exc:
        encoding = "UTF-16" if utf16 else "UTF-8"
        raise YamlError(f"yaml: invalid {encoding} byte at offset {exc.start}") from None
    return _Reader(text.replace("\r\n", "\n").replace("\r", "\n")).document()


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.weight = 0

    # ------------------------------------------------------------------------------------
    # Positions

    def error(self, reason: str) -> YamlError:
        line = self.text.count("\n", 0, self.i) + 1
        return YamlError(f"yaml: line {line}: {reason}")

    def peek(self, offset: int = 0) -> str:
        index = self.i + offset
        return self.text[index] if index < len(self.text) else ""

    def column(self) -> int:
        return self.i - self.text.rfind("\n", 0, self.i) - 1

    def skip_spaces(self) -> None:
        while self.peek() in (" ", "\t") and self.peek():
            self.i += 1

    def at_line_end(self) -> bool:
        """After spaces: at a comment, a line break or the end."""
        self.skip_spaces()
        char = self.peek()
        return char in ("", "\n", "#")

    def at_document_marker(self) -> bool:
        if self.column() != 0:
            return False
        head = self.text[self.i : self.i + 4]
        return head[:3] in ("---", "...") and head[3:] in ("", " ", "\n", "\t")

    def next_content(self) -> int:
        """Move to the next content character on a later (or this) line; its column, or -1
        at the end of the document."""
        while True:
            self.skip_spaces()
            char = self.peek()
            if char == "#":
                end = self.text.find("\n", self.i)
                self.i = len(self.text) if end == -1 else end
                continue
            if char == "\n":
                self.i += 1
                line_start = self.i
                while self.peek() == " ":
                    self.i += 1
                if self.peek() == "\t" and self.text[self.i :].lstrip(" \t")[:1] not in (
                    "\n",
                    "#",
                    "",
                ):
                    raise self.error("found a tab character where an indentation space is expected")
                self.i = line_start
                continue
            if char == "":
                return -1
            column = self.column()
            if column == 0 and self.at_document_marker():
                return -1
            return column

    def count(self, value: Any, weight: int) -> Any:
        self.weight += weight
        if self.weight > MAX_EXPANDED_WEIGHT:
            raise self.error("document contains excessive aliasing")
        return value

    # ------------------------------------------------------------------------------------
    # Documents and block nodes

    def document(self) -> Any:
        while True:
            column = self.next_content()
            if column == 0 and self.peek() == "%":
                self.i = (
                    self.text.find("\n", self.i) if "\n" in self.text[self.i :] else len(self.text)
                )
                continue
            break
        if self.at_document_marker() and self.text.startswith("---", self.i):
            self.i += 3
        value = self.value(-1, True, 0)
        column = self.next_content()
        if column != -1:
            raise self.error("did not find expected <document start>")
        return value

    def value(self, parent: int, compact: bool, depth: int) -> Any:
        """The node starting here (mid-line after ``key:`` or ``- ``, or at a line start).

        ``parent`` is the indentation a node on a later line must exceed (a sequence may sit
        at it); ``compact`` allows a mapping to start on this line."""
        if depth > MAX_DEPTH:
            raise self.error("exceeded max depth")
        before = self.weight
        anchor, tag = self.properties()
        if self.at_line_end():
            column = self.next_content()
            below = column > parent or (column == parent and self.sequence_entry())
            if column == -1 or not below:
                node = self.scalar_value("", tag, plain=True)
            else:
                anchor2, tag2 = self.properties()
                anchor, tag = anchor or anchor2, tag or tag2
                if self.at_line_end():  # properties alone on their line: the node follows
                    column = self.next_content()
                if (
                    column == -1
                    or column < parent
                    or (column == parent and not self.sequence_entry())
                ):
                    node = self.scalar_value("", tag, plain=True)
                else:
                    node = self.inline(parent, True, depth, tag)
        else:
            node = self.inline(parent, compact, depth, tag)
        if anchor is not None:
            # The weight counted while reading the node is its weight with aliases expanded.
            self.anchors[anchor] = (node, self.weight - before)
        return node

    def properties(self) -> tuple[str | None, str | None]:
        anchor = tag = None
        while True:
            self.skip_spaces()
            char = self.peek()
            if char not in ("&", "!"):
                return anchor, tag
            start = self.i
            while self.peek() not in ("", " ", "\t", "\n") and not (
                self.peek() in _FLOW_INDICATORS and self.i > start + 1
            ):
                self.i += 1
            token = self.text[start : self.i]
            if char == "&":
                anchor = token[1:]
            else:
                tag = token

    def sequence_entry(self) -> bool:
        return self.peek() == "-" and self.peek(1) in ("", " ", "\n", "\t")

    def inline(self, parent: int, compact: bool, depth: int, tag: str | None) -> Any:
        char = self.peek()
        column = self.column()
        if char == "*":
            return self.alias()
        if char in ("|", ">"):
            return self.scalar_value(self.block_scalar(parent), tag, plain=False)
        if self.sequence_entry():
            return self.sequence(column, depth)
        if char in ("[", "{"):
            node = self.flow(depth)
        elif char in ("'", '"'):
            node = self.scalar_value(self.quoted(parent), tag, plain=False)
        elif char == "?" and self.peek(1) in (" ", "\n"):
            raise self.error("complex mapping keys are not supported")
        else:
            text = self.plain_line()
            if self.peek() == ":" and compact:
                return self.mapping(column, self.key(text, True), depth)
            node = self.scalar_value(self.plain_more(text, parent), tag, plain=True)
            return node
        self.skip_spaces()
        if self.peek() == ":" and compact and isinstance(node, (str, int, float, bool)):
            return self.mapping(column, self.key(node, False), depth)
        return node

    def key(self, value: Any, plain: bool) -> str:
        if plain:
            value = self.scalar_value(value, None, plain=True)
        if value is None:
            return "null"
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    def mapping(self, column: int, first: str, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        key = first
        while True:
            if self.peek() != ":" or self.peek(1) not in ("", " ", "\n", "\t"):
                raise self.error("could not find expected ':'")
            self.i += 1
            item = self.value(column, False, depth + 1)
            if key == "<<":
                merged = item if isinstance(item, list) else [item]
                for source in merged:
                    if not isinstance(source, dict):
                        raise self.error("map merge requires map or sequence of maps as the value")
                    for name, merged_value in source.items():
                        result.setdefault(name, merged_value)
            else:
                result[key] = item
            following = self.next_content()
            if following < column:
                break
            if following > column:
                raise self.error("mapping values are not allowed in this context")
            if self.sequence_entry():
                break
            char = self.peek()
            if char in ("'", '"'):
                key = self.key(self.quoted(column), False)
                self.skip_spaces()
            elif char == "?" and self.peek(1) in (" ", "\n"):
                raise self.error("complex mapping keys are not supported")
            elif char == "*":
                key = self.key(self.alias(), False)
                self.skip_spaces()
            else:
                key = self.key(self.plain_line(), True)
        self.count(None, 1)
        return result

    def sequence(self, column: int, depth: int) -> list[Any]:
        items: list[Any] = []
        while True:
            self.i += 1  # the dash
            items.append(self.value(column, True, depth + 1))
            following = self.next_content()
            if following != column or not self.sequence_entry():
                if following > column:
                    raise self.error("did not find expected '-' indicator")
                break
        self.count(None, 1)
        return items

    def alias(self) -> Any:
        self.i += 1
        start = self.i
        while self.peek() not in ("", " ", "\t", "\n") and self.peek() not in _FLOW_INDICATORS:
            self.i += 1
        name = self.text[start : self.i]
        if name not in self.anchors:
            raise self.error(f'unknown anchor "{name}" referenced')
        node, weight = self.anchors[name]
        return self.count(node, weight)

    # ------------------------------------------------------------------------------------
    # Scalars

    def scalar_value(self, text: Any, tag: str | None, *, plain: bool) -> Any:
        if not isinstance(text, str):
            return text
        self.count(None, 1 + len(text))
        if tag in ("!!str", "!"):
            return text
        if tag is None and not plain:
            return text
        if tag in ("!!null",):
            return None
        if text in _NULLS:
            return None if tag in (None, "!!null") else text
        if text in _BOOLEANS and tag in (None, "!!bool"):
            return _BOOLEANS[text]
        if _INT.fullmatch(text) and tag in (None, "!!int", "!!float"):
            return self.integer(text) if tag != "!!float" else float(self.integer(text))
        if _FLOAT.fullmatch(text) and tag in (None, "!!float"):
            return float(text.replace("_", ""))
        if text in _SPECIAL_FLOATS and tag in (None, "!!float"):
            raise self.error(f"unsupported value {text} (JSON has no NaN or infinity)")
        if tag in ("!!int", "!!float", "!!bool"):
            raise self.error(f"cannot decode {text!r} as {tag}")
        return text

    def integer(self, text: str) -> int:
        digits = text.replace("_", "")
        sign = -1 if digits.startswith("-") else 1
        digits = digits.lstrip("+-")
        if digits.startswith("0b"):
            return sign * int(digits[2:], 2)
        if digits.startswith("0x"):
            return sign * int(digits[2:], 16)
        if len(digits) > 1 and digits.startswith("0"):
            return sign * int(digits, 8)
        return sign * int(digits)

    def plain_line(self, flow: bool = False) -> str:
        """A plain scalar's text up to ``: ``, `` #``, the line's end (or a flow indicator)."""
        start = self.i
        text = self.text
        while self.i < len(text):
            char = text[self.i]
            if char == "\n":
                break
            if char == ":" and (
                self.peek(1) in ("", " ", "\n", "\t") or (flow and self.peek(1) in _FLOW_INDICATORS)
            ):
                break
            if char == "#" and self.i > start and text[self.i - 1] in (" ", "\t"):
                break
            if flow and char in _FLOW_INDICATORS:
                break
            self.i += 1
        return text[start : self.i].rstrip(" \t")

    def plain_more(self, first: str, parent: int) -> str:
        """Continue a block plain scalar on more-indented lines, folding the line breaks."""
        parts = [first]
        while True:
            mark = self.i
            if not self.at_line_end() or self.peek() == "#":
                self.i = mark
                break
            breaks = 0
            scan = self.i
            while scan < len(self.text) and self.text[scan] == "\n":
                line_end = self.text.find("\n", scan + 1)
                line = self.text[scan + 1 : len(self.text) if line_end == -1 else line_end]
                if line.strip(" \t"):
                    break
                breaks += 1
                scan = len(self.text) if line_end == -1 else line_end
            if scan >= len(self.text):
                self.i = mark
                break
            self.i = scan + 1
            self.skip_spaces()
            if (
                self.column() <= parent
                or self.peek() in ("#", "")
                or self.at_document_marker()
                or (
                    self.peek() == "-"
                    and self.peek(1) in (" ", "\n")
                    and self.column() <= parent + 1
                )
            ):
                self.i = mark
                break
            line = self.plain_line()
            if self.peek() == ":":
                raise self.error("mapping values are not allowed in this context")
            parts.append("\n" * breaks if breaks else " ")
            parts.append(line)
        return "".join(parts)

    def quoted(self, parent: int) -> str:
        quote = self.peek()
        self.i += 1
        out: list[str] = []
        text = self.text
        while True:
            if self.i >= len(text):
                raise self.error("found unexpected end of stream in a quoted scalar")
            char = text[self.i]
            if char == quote:
                if quote == "'" and self.peek(1) == "'":
                    out.append("'")
                    self.i += 2
                    continue
                self.i += 1
                return "".join(out)
            if char == "\\" and quote == '"':
                out.append(self.escape())
            elif char == "\n":
                while out and out[-1] in (" ", "\t"):
                    out.pop()
                out.append(self.folded_breaks())
            else:
                out.append(char)
                self.i += 1

    def escape(self) -> str:
        """The character a double-quoted escape at the position stands for ('' for an escaped
        line break, which joins the lines)."""
        code = self.peek(1)
        if code == "\n":
            self.i += 2
            while self.peek() in (" ", "\t") and self.peek():
                self.i += 1
            return ""
        size = _HEX_ESCAPES.get(code, 0)
        digits = self.text[self.i + 2 : self.i + 2 + size]
        known = code in _ESCAPES or (
            size and len(digits) == size and all(c in "0123456789abcdefABCDEF" for c in digits)
        )
        if not known:
            raise self.error("found unknown escape character while parsing a quoted scalar")
        self.i += 2 + size
        if not size:
            return _ESCAPES[code]
        return chr(int(digits, 16)) if int(digits, 16) <= 0x10FFFF else "\ufffd"

    def folded_breaks(self) -> str:
        """The line breaks (and indentation) at the position in a quoted scalar, folded: one
        break is a space, more are all but one kept."""
        breaks = 0
        while self.peek() == "\n":
            self.i += 1
            breaks += 1
            while self.peek() in (" ", "\t") and self.peek():
                self.i += 1
        if self.at_document_marker():
            raise self.error("found unexpected document indicator in a quoted scalar")
        return "\n" * (breaks - 1) if breaks > 1 else " "

    def block_scalar(self, parent: int) -> str:
        folded = self.peek() == ">"
        self.i += 1
        chomp, indent = self.block_header()
        end = self.text.find("\n", self.i)
        if end == -1:
            return ""
        self.i = end + 1
        lines = self.block_lines(parent, max(parent, 0) + indent if indent else 0)
        trailing = 0
        while lines and lines[-1] == "":
            lines.pop()
            trailing += 1
        body = _fold(lines) if folded else "\n".join(lines)
        if not lines:
            return "\n" * trailing if chomp == "keep" else ""
        if chomp == "strip":
            return body
        if chomp == "keep":
            return body + "\n" * (trailing + 1)
        return body + "\n"

    def block_header(self) -> tuple[str, int]:
        """A block scalar's chomping (clip, strip, keep) and indentation indicator (0: none)."""
        chomp = "clip"
        indent = 0
        while self.peek() in ("+", "-") or (self.peek().isdigit() and self.peek()):
            char = self.peek()
            if char in ("+", "-"):
                chomp = "keep" if char == "+" else "strip"
            else:
                indent = int(char)
            self.i += 1
        if not self.at_line_end():
            raise self.error("did not find expected comment or line break")
        return chomp, indent

    def block_lines(self, parent: int, base: int) -> list[str]:
        """A block scalar's lines without their indentation (``base``; 0: the first line's)."""
        lines: list[str] = []
        while self.i <= len(self.text):
            line_end = self.text.find("\n", self.i)
            if line_end == -1:
                line_end = len(self.text)
            line = self.text[self.i : line_end]
            stripped = line.lstrip(" ")
            spaces = len(line) - len(stripped)
            if not base and stripped:
                base = spaces
                if base <= parent:
                    break
            if stripped and (spaces < base or (spaces == 0 and self.at_document_marker())):
                break
            lines.append(line[base:] if stripped or spaces > base else "")
            if line_end >= len(self.text):
                self.i = len(self.text)
                break
            self.i = line_end + 1
        if self.i < len(self.text) and self.text[self.i - 1] == "\n":
            self.i -= 1  # leave the line break before the next content
        return lines

    # ------------------------------------------------------------------------------------
    # Flow collections

    def flow_space(self) -> None:
        while True:
            char = self.peek()
            if char in (" ", "\t", "\n") and char:
                self.i += 1
            elif char == "#":
                end = self.text.find("\n", self.i)
                self.i = len(self.text) if end == -1 else end
            else:
                return

    def flow(self, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise self.error("exceeded max depth")
        opening = self.peek()
        closing = "]" if opening == "[" else "}"
        self.i += 1
        items: list[Any] = []
        mapping: dict[str, Any] = {}
        while True:
            self.flow_space()
            char = self.peek()
            if char == "":
                raise self.error(f"did not find expected ',' or '{closing}'")
            if char == closing:
                self.i += 1
                break
            key = self.flow_item(depth)
            self.flow_space()
            if self.peek() == ":":
                self.i += 1
                self.flow_space()
                value = None if self.peek() in (",", closing) else self.flow_item(depth)
                pair = (self.key(key, False), value)
            else:
                pair = None
            if opening == "{":
                name, value = pair if pair is not None else (self.key(key, False), None)
                mapping[name] = value
            else:
                items.append({pair[0]: pair[1]} if pair is not None else key)
            self.flow_space()
            if self.peek() == ",":
                self.i += 1
            elif self.peek() != closing:
                raise self.error(f"did not find expected ',' or '{closing}'")
        return self.count(mapping if opening == "{" else items, 1)

    def flow_item(self, depth: int) -> Any:
        before = self.weight
        anchor, tag = self.properties()
        self.flow_space()
        char = self.peek()
        if char in ("[", "{"):
            node = self.flow(depth + 1)
        elif char == "*":
            node = self.alias()
        elif char in ("'", '"'):
            node = self.scalar_value(self.quoted(-1), tag, plain=False)
        else:
            parts = [self.plain_line(flow=True)]
            while self.peek() == "\n":
                mark = self.i
                self.flow_space()
                if self.peek() in ("", ":") or self.peek() in _FLOW_INDICATORS:
                    self.i = mark
                    self.flow_space()
                    break
                parts.append(self.plain_line(flow=True))
            node = self.scalar_value(" ".join(p for p in parts if p), tag, plain=True)
        if anchor is not None:
            self.anchors[anchor] = (node, self.weight - before)
        return node


def _fold(lines: list[str]) -> str:
    """The lines of a folded block scalar joined: a break between two lines of text is a
    space, empty lines between them are breaks, more-indented lines keep their breaks."""
    out: list[str] = []
    empties = 0
    previous: str | None = None
    for line in lines:
        if line == "":
            empties += 1
            continue
        if previous is not None:
            spaced = previous.startswith((" ", "\t")) or line.startswith((" ", "\t"))
            if spaced:
                out.append("\n" * (empties + 1))
            else:
                out.append("\n" * empties if empties else " ")
        elif empties:
            out.append("\n" * empties)
        out.append(line)
        previous = line
        empties = 0
    return "".join(out)
