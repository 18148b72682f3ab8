"""The engine's data model: what every front-end normalises into and every check reads.

Front-ends (CloudFormation, Pulumi, the CloudFront API) disagree on names, list shapes and how
they express "not known yet". The model is where they agree, so that one check serves all doors.
Nothing here raises on odd input; values that cannot be read become :class:`Unknown`.
"""

from __future__ import annotations

import re

from dataclasses import dataclass, field
from typing import Any, Hashable, NamedTuple, Optional, Tuple, Union

Path = Tuple[Union[str, int], ...]


class Unknown:
    """A value the engine cannot know: a preview unknown, an unresolvable intrinsic, a bad type.

    ``token`` marks holes that stand for a name-like token (a bucket name, a region): they never
    contain ``/``, ``:`` or whitespace, which lets ``Fn::Split`` work on strings that contain them.

    ``same_as`` names the unresolved expression the value comes from (e.g. ``("Ref", "Bucket")``),
    when the front-end knows it: two values with the same name are the same string in one
    deployment (:func:`same_value`). ``None``: nothing is known to be equal to it.
    """

    __slots__ = ("reason", "token", "same_as")

    def __init__(self, reason: str = "unknown", token: bool = False,
                 same_as: Optional[Hashable] = None) -> None:
        self.reason = reason
        self.token = token
        self.same_as = same_as

    def __repr__(self) -> str:
        return f"Unknown({self.reason!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unknown) and other.reason == self.reason

    def __hash__(self) -> int:
        return hash(("Unknown", self.reason))

    def __bool__(self) -> bool:  # an unknown is never "truthy enough" to decide anything
        return False


class Symbolic:
    """A string with known literal parts and unknown holes, e.g. ``${Bucket}.s3-website-${AWS::Region}``.

    Enough to classify an origin host without knowing the bucket name or the region.
    """

    __slots__ = ("parts",)

    def __init__(self, parts) -> None:
        merged: list = []
        for part in parts:
            if isinstance(part, Symbolic):
                part_list = list(part.parts)
            else:
                part_list = [part]
            for p in part_list:
                if isinstance(p, str) and merged and isinstance(merged[-1], str):
                    merged[-1] = merged[-1] + p
                elif isinstance(p, str) and p == "":
                    continue
                else:
                    merged.append(p)
        self.parts = tuple(merged)

    def literal(self) -> Optional[str]:
        """The plain string if there are no holes."""
        if all(isinstance(p, str) for p in self.parts):
            return "".join(self.parts)
        return None

    def render(self) -> str:
        return "".join(p if isinstance(p, str) else "${" + p.reason + "}" for p in self.parts)

    def __repr__(self) -> str:
        return f"Symbolic({self.render()!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Symbolic) and other.parts == self.parts

    def __hash__(self) -> int:
        return hash(("Symbolic", self.parts))


def is_known(value: Any) -> bool:
    return not isinstance(value, (Unknown, Symbolic))


def expression_of(value: Any) -> Optional[Hashable]:
    """The name of the unresolved expression a value stands for (see :attr:`Unknown.same_as`):
    an unknown's own, or a symbolic string's literal parts and named holes; None when a hole has
    no name (or the value is not unresolved)."""
    if isinstance(value, Unknown):
        return value.same_as
    if isinstance(value, Symbolic):
        if len(value.parts) == 1:  # ``${Bucket}`` alone is ``Ref Bucket``
            return expression_of(value.parts[0])
        out = []
        for part in value.parts:
            if isinstance(part, str):
                out.append(part)
            elif part.same_as is None:
                return None
            else:
                out.append(("hole", part.same_as))
        return ("text", tuple(out))
    return None


def same_value(a: Any, b: Any) -> Optional[bool]:
    """Are two model strings the same in one deployment? True or False when decided; None when
    not. Two unresolved values are the same when they come from the same expression (``Id: !Ref
    Bucket`` and ``TargetOriginId: !Ref Bucket``); different expressions, or an expression and
    a literal, are undecided — never assumed equal or different — unless their literal parts
    already tell them apart (``${Bucket}-origin`` is never ``site.example.com``:
    :func:`provably_different`)."""
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    name = expression_of(a)
    if name is not None and name == expression_of(b):
        return True
    if provably_different(a, b):
        return False
    return None


_MAX_HOLES = 16


def provably_different(a: Any, b: Any) -> bool:
    """True when no values of the holes can make ``a`` and ``b`` the same string: a literal the
    symbolic string's literal parts cannot frame (in order, a hole being any text, a token hole
    text without ``/``, ``:`` or whitespace), or two symbolic strings whose leading or trailing
    literal texts disagree. Anything else (a bare unknown, holes that could fill the gap) is not
    provably different."""
    if isinstance(a, str) and isinstance(b, Symbolic):
        a, b = b, a
    if isinstance(a, Symbolic) and isinstance(b, str):
        holes = [p for p in a.parts if not isinstance(p, str)]
        if len(holes) > _MAX_HOLES:
            return False
        pattern = "".join(re.escape(p) if isinstance(p, str) else
                          (r"[^/:\s]*" if getattr(p, "token", False) else ".*")
                          for p in a.parts)
        return re.fullmatch(pattern, b, re.DOTALL) is None
    if isinstance(a, Symbolic) and isinstance(b, Symbolic):
        def ends(s: Symbolic):
            head = s.parts[0] if s.parts and isinstance(s.parts[0], str) else ""
            tail = s.parts[-1] if s.parts and isinstance(s.parts[-1], str) else ""
            return head, tail
        (ha, ta), (hb, tb) = ends(a), ends(b)
        if not (ha.startswith(hb) or hb.startswith(ha)):
            return True
        return not (ta.endswith(tb) or tb.endswith(ta))
    return False


def as_text(value: Any) -> str:
    """A human rendering of a model value for messages."""
    if isinstance(value, Symbolic):
        return value.render()
    if isinstance(value, Unknown):
        return f"<{value.reason}>"
    return str(value)


class computed_once:
    """A value computed on first access and kept in the instance: ``functools.cached_property``
    without the lock it takes on every first access before Python 3.12 (a model object is
    built and read by one thread; a race would compute the same value twice)."""

    def __init__(self, func) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __get__(self, obj, cls=None):
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.func(obj)
        return value


@dataclass
class Located:
    """Mixin: where each field of a model object came from in the source document."""

    path: Path = ()
    field_paths: dict = field(default_factory=dict)

    def path_of(self, name: str) -> Path:
        return self.field_paths.get(name, self.path)


@dataclass
class Origin(Located):
    """One origin. ``kind`` is ``s3`` (S3OriginConfig / legacy S3Origin), ``custom``
    (CustomOriginConfig / legacy CustomOrigin), ``vpc`` or ``unspecified``. A VPC origin's
    protocol policy and SSL protocols are those of the VPC origin it names, when the source
    could read them (their field paths then point into that VPC origin)."""

    id: Any = None
    domain: Any = None
    kind: str = "unspecified"
    protocol_policy: Any = None
    ssl_protocols: Any = None
    ssl_protocols_defaulted: bool = False
    config_path: Path = ()
    # Origin access: None when absent or empty (no OAC / no OAI); a string, Symbolic or Unknown
    # otherwise — any non-empty value means one is configured (CFH012).
    oac_id: Any = None
    oai: Any = None
    vpc_origin_id: Any = None  # VpcOriginConfig.VpcOriginId as read (kind "vpc")
    vpc_origin: Optional[str] = None  # the VPC origin whose settings were read, for messages


@dataclass
class OriginGroup(Located):
    id: Any = None
    members: Any = ()


@dataclass
class CacheBehavior(Located):
    """A cache behaviour; ``index`` is its position in the ordered list, ``None`` for the default."""

    index: Optional[int] = None
    path_pattern: Any = "*"
    target_origin_id: Any = None
    viewer_protocol_policy: Any = None
    allowed_methods: Any = None
    # ``ResponseHeadersPolicyId`` as written (None when absent or empty), and the policy it names
    # when the same document (or a live look-up) defines it: what CFH011 judges.
    response_headers_policy_id: Any = None
    response_headers_policy: Optional["HeadersPolicy"] = None

    @property
    def is_default(self) -> bool:
        return self.index is None

    @computed_once
    def label(self) -> str:
        """How messages name this behaviour (computed once: messages name it often)."""
        if self.index is None:
            return "the default cache behaviour"
        shown = as_text(self.path_pattern)
        if len(shown) > 60:  # hostile 255-character patterns would drown the message
            shown = shown[:57] + "..."
        return f"cache behaviour #{self.index + 1} ({shown})"


@dataclass
class HeadersPolicy(Located):
    """What a response headers policy says about ``Strict-Transport-Security`` (CFH011).

    ``hsts_max_age``: the ``AccessControlMaxAgeSec`` in seconds, None when the policy sets no
    Strict-Transport-Security header, :class:`Unknown` when the document does not say.
    ``name`` is how messages name the policy (a logical name, a URN, an id).
    """

    name: str = ""
    hsts_max_age: Any = None
    origin: str = ""  # where it was found: "template", "api", "stack"


@dataclass
class ViewerCertificate(Located):
    """``default_implied``: no flag and no certificate named, so CloudFront's default
    certificate applies without ``CloudFrontDefaultCertificate`` being written."""

    present: bool = False
    cloudfront_default: Any = None
    custom_certificate: Any = False
    minimum_protocol_version: Any = None
    default_implied: bool = False


@dataclass
class Distribution(Located):
    """One distribution as one door sees it, under one resolution of its conditions/parameters."""

    name: str = ""
    origins: list = field(default_factory=list)
    origin_groups: list = field(default_factory=list)
    default_behavior: Optional[CacheBehavior] = None
    behaviors: list = field(default_factory=list)
    viewer_certificate: ViewerCertificate = field(default_factory=ViewerCertificate)
    condition: Optional[str] = None
    scenario: tuple = ()
    notes: list = field(default_factory=list)
    origin_ids_known: bool = True
    # False when the source knows only some of the ordered cache behaviours (Terraform: blocks a
    # `dynamic` block may generate over a collection not known here): each known one is judged,
    # their order is not.
    behaviors_known: bool = True
    source: str = ""
    # The distribution's own tags as its source carries them (key -> value as read, a value
    # possibly Unknown), None when the source gave none, Unknown when it cannot tell; and the
    # codes its ``cfhttps:ignore`` tag suppresses, with why (rules/suppression.py reads them).
    tags: Any = None
    ignore: dict = field(default_factory=dict)
    # What checks derive from this variant and share (CFH005-CFH007 share one ordering
    # analysis), keyed by the check family and the settings the result depends on; never
    # copied by dataclasses.replace (init=False), so a variant starts with none.
    analyses: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def all_behaviors(self):
        """Ordered behaviours first, then the default, in CloudFront's evaluation order."""
        out = list(self.behaviors)
        if self.default_behavior is not None:
            out.append(self.default_behavior)
        return out

    def origin_by_id(self, origin_id):
        """The origin whose id is surely ``origin_id`` (a string, or the same unresolved
        expression: :func:`same_value`), else None."""
        for origin in self.origins:
            if same_value(origin.id, origin_id) is True:
                return origin
        return None

    def group_by_id(self, group_id):
        for group in self.origin_groups:
            if same_value(group.id, group_id) is True:
                return group
        return None

    def targets_of(self, behavior: CacheBehavior):
        """The origins a behaviour surely reaches: its origin, or every member of its origin
        group; none when its target is unknown or names nothing."""
        target = behavior.target_origin_id
        if target is None:
            return []
        origin = self.origin_by_id(target)
        if origin is not None:
            return [origin]
        group = self.group_by_id(target)
        if group is None or not isinstance(group.members, (list, tuple)):
            return []
        out = []
        for member in group.members:
            member_origin = self.origin_by_id(member)
            if member_origin is not None:
                out.append(member_origin)
        return out


_tuple_new = tuple.__new__


class Finding(NamedTuple):
    """One problem, the same object whichever door shows it.

    Immutable; a named tuple rather than a frozen dataclass because a frozen dataclass is
    four times slower to build, and a Pulumi Analyze call builds dozens (``_replace`` for copies).
    """

    code: str
    message: str
    severity: str  # "error" | "warning"; the engine sets it (catalogue and configuration)
    resource: str
    path: Path
    example_path: Optional[str] = None
    condition: Optional[str] = None
    note: Optional[str] = None
    fix: Optional[Tuple[Path, str]] = None  # (property path, safe value) a door may apply

    def key(self):
        """What makes two findings the same finding (variants of one distribution merge on it)."""
        return (self.code, self.resource, tuple(self.path), self.message)

    def with_severity(self, severity: str) -> "Finding":
        """This finding with ``severity`` (what ``_replace(severity=...)`` gives, built directly:
        the engine sets the severity of every finding)."""
        return _tuple_new(Finding, (self[0], self[1], severity, *self[3:]))


class NoteKind:
    """Why a note exists. Code and tests act on the kind, never on a note's wording."""

    UNKNOWN_VALUE = "unknown-value"  # a deciding value is unknown: preview unknown, unresolved
    #                                  intrinsic, ill-typed or missing property
    UNDECIDED = "undecided"  # the work allowance of a question ran out: no answer, no guess
    INTERNAL_ERROR = "internal-error"  # a check raised; a bug, reported instead of crashing a door
    INPUT = "input"  # part of the input was skipped or limited (bad shape, scope, combinations)

    ALL = (UNKNOWN_VALUE, UNDECIDED, INTERNAL_ERROR, INPUT)


class Note(NamedTuple):
    """Something a check could not decide; told, never guessed. (Immutable, as Finding.)"""

    code: str
    kind: str  # one of NoteKind.ALL
    message: str
    resource: str
    path: Path
    condition: Optional[str] = None

    def key(self):
        """What makes two notes the same note (repeats across variants are told once)."""
        return (self.code, self.resource, tuple(self.path), self.message)
