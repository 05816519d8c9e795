"""Game trees (extensive form) with chance, information sets and labelled outcomes.

A tree is written as nested, immutable node values::

    Decision(player, {action: child, ...}, infoset=None)
    Chance({action: (probability, child), ...})
    Terminal(label, (payoff_player_0, payoff_player_1, ...))

and wrapped in :class:`GameTree`, which validates it once and exposes a
flattened, indexed view (preorder node numbering) for the solvers.

Values
------
Payoffs and chance probabilities may be

* numbers (``int``, ``float``, :class:`~fractions.Fraction`): one game;
* numpy arrays of one broadcast shape: a whole parameter grid in one tree
  (:attr:`GameTree.grid_shape`), solved at once by
  :func:`coercion.solvers.backward_induction_grid`;
* sympy expressions: a symbolic game (:meth:`GameTree.evaluate` turns it
  numeric, for a point or a grid).

Information sets
----------------
Decision nodes of the same player with the same ``infoset`` key form one
information set; they must offer the same action labels.  ``infoset=None``
(the default) gives the node an information set of its own, so a tree built
without keys has perfect information.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Union

import numpy as np

from coercion._numbers import is_array, is_exact_scalar, is_real_scalar, is_symbolic, to_fraction
from coercion.errors import InvalidGameError, UnsupportedGameError

if TYPE_CHECKING:
    from coercion.games.normal_form import NormalFormGame
    from coercion.games.profiles import BehaviorProfile, MixedProfile

__all__ = ["Chance", "Decision", "GameTree", "InfoSet", "Node", "Terminal"]

Value = Any  # int | float | Fraction | numpy.ndarray | sympy.Expr


@dataclass(frozen=True, eq=False)
class Terminal:
    """A leaf: an outcome *label* and one payoff per player (utilities)."""

    label: str
    payoffs: tuple[Value, ...]
    name: str = ""

    def __init__(self, label: str, payoffs: Sequence[Value], name: str = "") -> None:
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "payoffs", tuple(payoffs))
        object.__setattr__(self, "name", name)


@dataclass(frozen=True, eq=False)
class Decision:
    """A personal move: *player* chooses one of the labelled *moves*."""

    player: str
    moves: Mapping[str, Node]
    infoset: str | None = None
    name: str = ""

    def __init__(
        self, player: str, moves: Mapping[str, Node], infoset: str | None = None, name: str = ""
    ) -> None:
        object.__setattr__(self, "player", player)
        object.__setattr__(self, "moves", dict(moves))
        object.__setattr__(self, "infoset", infoset)
        object.__setattr__(self, "name", name)


@dataclass(frozen=True, eq=False)
class Chance:
    """A chance move: ``moves[action] = (probability, child)``."""

    moves: Mapping[str, tuple[Value, Node]]
    name: str = ""

    def __init__(self, moves: Mapping[str, tuple[Value, Node]], name: str = "") -> None:
        object.__setattr__(self, "moves", dict(moves))
        object.__setattr__(self, "name", name)


Node = Union[Terminal, Decision, Chance]  # noqa: UP007  (runtime alias used in isinstance)


@dataclass(frozen=True)
class InfoSet:
    """An information set: its player (index), key, action labels and member nodes."""

    player: int
    key: str
    actions: tuple[str, ...]
    members: tuple[int, ...]


def _what(what: str | Callable[[], str]) -> str:
    """The description of a value for an error message (built only when one is raised)."""
    return what if isinstance(what, str) else what()


def _check_value(value: Value, what: str | Callable[[], str]) -> tuple[int, ...] | None:
    """Validate a payoff/probability value; return its array shape (None for scalars).

    *what* describes the value in error messages; a callable is called only when an
    error is raised (a tree's node paths are built lazily: see :class:`GameTree`).
    """
    if is_symbolic(value):
        if getattr(value, "is_number", False):
            number = complex(value)
            if number.imag != 0 or not math.isfinite(number.real):
                raise InvalidGameError(f"{_what(what)} must be a finite real number; got {value}")
        return None
    if is_array(value):
        arr = np.asarray(value)
        if not np.issubdtype(arr.dtype, np.number) or np.iscomplexobj(arr):
            raise InvalidGameError(f"{_what(what)} must be a real array; got dtype {arr.dtype}")
        # NaN and infinities propagate through a sum: a finite sum means finite entries
        # (one reduction, no temporary); otherwise look closer (the sum may overflow)
        with np.errstate(over="ignore", invalid="ignore"):
            finite = arr.size == 0 or math.isfinite(np.add.reduce(arr, axis=None))
        if not finite and not (math.isfinite(arr.min()) and math.isfinite(arr.max())):
            raise InvalidGameError(
                f"{_what(what)} must be finite; got an array with non-finite entries"
            )
        return tuple(arr.shape)
    if not is_real_scalar(value):
        raise InvalidGameError(
            f"{_what(what)} must be a real number, array or sympy expression; got {value!r}"
        )
    if not math.isfinite(float(value)):
        raise InvalidGameError(f"{_what(what)} must be finite; got {value!r}")
    return None


class GameTree:
    """A finite extensive-form game.

    Parameters
    ----------
    players : sequence of str
        Player labels; :class:`Decision` nodes name one of them.
    root : Node
        The root node.
    title : str, optional

    Attributes
    ----------
    nodes : tuple of Node
        Every node in preorder (node ``0`` is the root).
    children : tuple of tuple of int
        Child node indices per node, in action order.
    parent : tuple of int
        Parent index per node (``-1`` for the root).
    infosets : tuple of InfoSet
        Every information set, in order of first appearance (preorder).
    node_infoset : tuple of int
        Index into :attr:`infosets` per node (``-1`` for chance and terminal nodes).
    player_infosets : tuple of tuple of int
        Per player, its information sets (indices into :attr:`infosets`) in
        order of first appearance. Behaviour profiles follow this order.
    grid_shape : tuple of int
        Broadcast shape of the array-valued payoffs/probabilities (``()`` for
        a single game).

    Examples
    --------
    The three-stage threat game (v = 1, sanctions cost the coercer 1/2 and
    the target 2, backing down costs the coercer 1):

    >>> from fractions import Fraction as F
    >>> tree = GameTree(["Coercer", "Target"], Decision("Coercer", {
    ...     "threaten": Decision("Target", {
    ...         "concede": Terminal("concession", (1, -1)),
    ...         "resist": Decision("Coercer", {
    ...             "impose": Terminal("escalation", (-F(1, 2), -2)),
    ...             "back_down": Terminal("coercer_backs_down", (-1, 0))})}),
    ...     "no_threat": Terminal("status_quo", (0, 0))}))
    >>> len(tree.nodes), tree.is_perfect_information, tree.outcome_labels
    (7, True, ('concession', 'escalation', 'coercer_backs_down', 'status_quo'))
    """

    players: tuple[str, ...]
    root: Node
    title: str
    nodes: tuple[Node, ...]
    children: tuple[tuple[int, ...], ...]
    parent: tuple[int, ...]
    parent_action: tuple[int, ...]
    infosets: tuple[InfoSet, ...]
    node_infoset: tuple[int, ...]
    player_infosets: tuple[tuple[int, ...], ...]
    grid_shape: tuple[int, ...]

    __slots__ = (
        "_subtree_end",
        "children",
        "grid_shape",
        "infosets",
        "node_infoset",
        "nodes",
        "parent",
        "parent_action",
        "player_infosets",
        "players",
        "root",
        "title",
    )

    def __init__(self, players: Sequence[str], root: Node, title: str = "") -> None:
        players_t = tuple(players)
        if not players_t:
            raise InvalidGameError("GameTree: players must name at least one player; got none")
        for p in players_t:
            if not isinstance(p, str) or not p:
                raise InvalidGameError(
                    f"GameTree: player labels must be non-empty strings; got {p!r}"
                )
        if len(set(players_t)) != len(players_t):
            raise InvalidGameError(f"GameTree: player labels must be unique; got {players_t!r}")
        if not isinstance(title, str):
            raise InvalidGameError(f"GameTree: title must be a string; got {title!r}")
        player_index = {p: i for i, p in enumerate(players_t)}

        nodes: list[Node] = []
        children: list[list[int]] = []
        parent: list[int] = []
        parent_action: list[int] = []
        subtree_end: list[int] = []
        shapes: list[tuple[int, ...]] = []
        infoset_of: dict[tuple[int, str | int], int] = {}
        infoset_data: list[tuple[int, str, tuple[str, ...], list[int]]] = []
        node_infoset: list[int] = []

        # a node's path ("root/threaten/resist") is built only for an error message:
        # building it for every node would cost O(depth x branching) each
        def where(index: int) -> str:
            path: list[str] = []
            k = index
            while parent[k] >= 0:
                par = nodes[parent[k]]
                labels = list(par.moves) if not isinstance(par, Terminal) else []
                path.append(labels[parent_action[k]])
                k = parent[k]
            return "root" if not path else "root/" + "/".join(reversed(path))

        def payoff_what(i: int, label: str, index: int) -> str:
            return f"GameTree: payoff of {players_t[i]!r} at terminal {label!r} ({where(index)})"

        def probability_what(action: str, index: int) -> str:
            return f"GameTree: probability of {action!r} at {where(index)}"

        def chance_what(index: int) -> str:
            return f"GameTree: chance probabilities at {where(index)}"

        stack: list[tuple[Node, int, int]] = [(root, -1, -1)]
        while stack:
            node, par, act = stack.pop()
            idx = len(nodes)
            nodes.append(node)
            children.append([])
            parent.append(par)
            parent_action.append(act)
            subtree_end.append(-1)
            if par >= 0:
                children[par].append(idx)
            if isinstance(node, Terminal):
                node_infoset.append(-1)
                if not isinstance(node.label, str) or not node.label:
                    raise InvalidGameError(
                        f"GameTree: terminal at {where(idx)} needs a non-empty string label; "
                        f"got {node.label!r}"
                    )
                if len(node.payoffs) != len(players_t):
                    raise InvalidGameError(
                        f"GameTree: terminal {node.label!r} at {where(idx)} needs {len(players_t)} "
                        f"payoffs; got {len(node.payoffs)}"
                    )
                for i, v in enumerate(node.payoffs):
                    shape = _check_value(
                        v,
                        functools.partial(payoff_what, i, node.label, idx),
                    )
                    if shape is not None:
                        shapes.append(shape)
                continue
            if isinstance(node, Decision):
                if node.player not in player_index:
                    raise InvalidGameError(
                        f"GameTree: decision at {where(idx)} names player {node.player!r}; "
                        f"players are {players_t!r}"
                    )
                if not node.moves:
                    raise InvalidGameError(f"GameTree: decision at {where(idx)} has no moves")
                actions = tuple(node.moves)
                for a in actions:
                    if not isinstance(a, str) or not a:
                        raise InvalidGameError(
                            "GameTree: action labels must be non-empty strings; "
                            f"got {a!r} at {where(idx)}"
                        )
                pl = player_index[node.player]
                key: str | int = node.infoset if node.infoset is not None else -1 - idx
                if node.infoset is not None and not isinstance(node.infoset, str):
                    raise InvalidGameError(
                        "GameTree: infoset keys must be strings; "
                        f"got {node.infoset!r} at {where(idx)}"
                    )
                slot = infoset_of.get((pl, key))
                if slot is None:
                    slot = len(infoset_data)
                    infoset_of[(pl, key)] = slot
                    label = node.infoset if node.infoset is not None else ""
                    infoset_data.append((pl, label, actions, [idx]))
                else:
                    if infoset_data[slot][2] != actions:
                        raise InvalidGameError(
                            f"GameTree: nodes of information set {node.infoset!r} of "
                            f"{node.player!r} must offer the same actions; got "
                            f"{infoset_data[slot][2]!r} and {actions!r} (at {where(idx)})"
                        )
                    infoset_data[slot][3].append(idx)
                node_infoset.append(slot)
                kids: list[Node] = list(node.moves.values())
            elif isinstance(node, Chance):
                node_infoset.append(-1)
                if not node.moves:
                    raise InvalidGameError(f"GameTree: chance node at {where(idx)} has no moves")
                probs = []
                kids = []
                for a, entry in node.moves.items():
                    if not isinstance(a, str) or not a:
                        raise InvalidGameError(
                            "GameTree: action labels must be non-empty strings; "
                            f"got {a!r} at {where(idx)}"
                        )
                    if not (isinstance(entry, tuple) and len(entry) == 2):
                        raise InvalidGameError(
                            f"GameTree: chance move {a!r} at {where(idx)} must be "
                            f"(probability, child); got {entry!r}"
                        )
                    p, child = entry
                    shape = _check_value(
                        p,
                        functools.partial(probability_what, a, idx),
                    )
                    if shape is not None:
                        shapes.append(shape)
                    probs.append(p)
                    kids.append(child)
                _check_probabilities(probs, functools.partial(chance_what, idx))
            else:
                raise InvalidGameError(
                    f"GameTree: nodes must be Decision, Chance or Terminal; got "
                    f"{type(node).__name__} at {where(idx)}"
                )
            # push children in reverse so they are numbered in action order (preorder)
            for k in reversed(range(len(kids))):
                stack.append((kids[k], idx, k))

        # subtree extents (preorder: descendants of n are n+1 .. end-1)
        for idx in reversed(range(len(nodes))):
            end = idx + 1
            for c in children[idx]:
                end = max(end, subtree_end[c])
            subtree_end[idx] = end

        try:
            grid_shape = tuple(np.broadcast_shapes(*shapes)) if shapes else ()
        except ValueError:
            raise InvalidGameError(
                f"GameTree: array-valued payoffs/probabilities must broadcast to one shape; "
                f"got shapes {sorted(set(shapes))}"
            ) from None

        infosets = tuple(
            InfoSet(pl, label, actions, tuple(members))
            for pl, label, actions, members in infoset_data
        )
        per_player: list[list[int]] = [[] for _ in players_t]
        for h, info in enumerate(infosets):
            per_player[info.player].append(h)

        self.players = players_t
        self.root = root
        self.title = title
        self.nodes = tuple(nodes)
        self.children = tuple(tuple(c) for c in children)
        self.parent = tuple(parent)
        self.parent_action = tuple(parent_action)
        self.infosets = infosets
        self.node_infoset = tuple(node_infoset)
        self.player_infosets = tuple(tuple(p) for p in per_player)
        self.grid_shape = grid_shape
        self._subtree_end = tuple(subtree_end)

    def __setattr__(self, name: str, value: Any) -> None:
        if hasattr(self, "_subtree_end"):
            raise AttributeError(f"GameTree is immutable; cannot set {name!r}")
        object.__setattr__(self, name, value)

    # ------------------------------------------------------------------ structure
    @property
    def n_players(self) -> int:
        """Number of (personal) players."""
        return len(self.players)

    @property
    def terminals(self) -> tuple[int, ...]:
        """Indices of terminal nodes, in preorder."""
        return tuple(k for k, n in enumerate(self.nodes) if isinstance(n, Terminal))

    @property
    def outcome_labels(self) -> tuple[str, ...]:
        """Distinct terminal labels in order of first appearance."""
        seen: dict[str, None] = {}
        for k in self.terminals:
            node = self.nodes[k]
            assert isinstance(node, Terminal)
            seen.setdefault(node.label, None)
        return tuple(seen)

    @property
    def is_perfect_information(self) -> bool:
        """True when every information set is a single node."""
        return all(len(h.members) == 1 for h in self.infosets)

    @property
    def has_chance(self) -> bool:
        """True when the tree has a chance node."""
        return any(isinstance(n, Chance) for n in self.nodes)

    @property
    def is_symbolic(self) -> bool:
        """True when some payoff or probability is a sympy expression."""
        return any(is_symbolic(v) for v in self._values())

    @property
    def is_exact(self) -> bool:
        """True when every payoff and probability is an integer or rational."""
        return all(is_exact_scalar(v) for v in self._values())

    def _values(self) -> list[Value]:
        out: list[Value] = []
        for n in self.nodes:
            if isinstance(n, Terminal):
                out.extend(n.payoffs)
            elif isinstance(n, Chance):
                out.extend(p for p, _ in n.moves.values())
        return out

    def subtree_nodes(self, node: int) -> range:
        """The preorder indices of *node* and all its descendants."""
        return range(node, self._subtree_end[node])

    def is_descendant(self, node: int, ancestor: int) -> bool:
        """True when *node* lies in the subtree rooted at *ancestor* (itself included)."""
        return ancestor <= node < self._subtree_end[ancestor]

    def actions_at(self, node: int) -> tuple[str, ...]:
        """Action labels at a decision or chance node."""
        n = self.nodes[node]
        return () if isinstance(n, Terminal) else tuple(n.moves)

    def path_to(self, node: int) -> list[tuple[int, int]]:
        """``[(ancestor, action_index), ...]`` from the root down to *node*."""
        path: list[tuple[int, int]] = []
        k = node
        while self.parent[k] >= 0:
            path.append((self.parent[k], self.parent_action[k]))
            k = self.parent[k]
        return path[::-1]

    def own_history(self, node: int, player: int) -> tuple[tuple[int, int], ...]:
        """The (information set, action) pairs *player* chose on the way to *node*."""
        return tuple(
            (self.node_infoset[a], k)
            for a, k in self.path_to(node)
            if self.node_infoset[a] >= 0 and self.infosets[self.node_infoset[a]].player == player
        )

    @property
    def has_perfect_recall(self) -> bool:
        """True when no player ever forgets what it knew or did (Kuhn)."""
        for h in self.infosets:
            histories = {self.own_history(m, h.player) for m in h.members}
            if len(histories) > 1:
                return False
        return True

    def subgame_roots(self) -> tuple[int, ...]:
        """Nodes that root a proper or improper subgame (the root included)."""
        roots = []
        for k, node in enumerate(self.nodes):
            if isinstance(node, Terminal):
                continue
            h = self.node_infoset[k]
            if h >= 0 and len(self.infosets[h].members) != 1:
                continue
            end = self._subtree_end[k]
            closed = all(
                all(k <= m < end for m in self.infosets[self.node_infoset[d]].members)
                for d in range(k, end)
                if self.node_infoset[d] >= 0
            )
            if closed:
                roots.append(k)
        return tuple(roots)

    def subtree(self, node: int) -> GameTree:
        """The game that starts at *node* (meaningful when *node* roots a subgame)."""
        return GameTree(self.players, self.nodes[node], title=self.title)

    # ------------------------------------------------------------------ values
    def map_values(self, fn: Callable[[Value], Value]) -> GameTree:
        """A tree of the same shape with every payoff and probability replaced by ``fn(v)``."""

        # no recursion (a 10,000-move centipede must not hit the recursion limit): *fn* is
        # applied in preorder, each chance probability just before the subtree it leads
        # to, then the nodes are rebuilt bottom-up (children follow their parent)
        n = len(self.nodes)
        payoffs: list[tuple[Value, ...]] = [()] * n
        probs: list[list[Value]] = [[] for _ in range(n)]
        raw_probs: dict[int, list[Value]] = {}
        for k, node in enumerate(self.nodes):
            par = self.parent[k]
            if par in raw_probs:
                probs[par].append(fn(raw_probs[par][self.parent_action[k]]))
            if isinstance(node, Terminal):
                payoffs[k] = tuple(fn(v) for v in node.payoffs)
            elif isinstance(node, Chance):
                raw_probs[k] = [p for p, _ in node.moves.values()]
        built: list[Node | None] = [None] * n
        for k in reversed(range(n)):
            node = self.nodes[k]
            kids: list[Node] = []
            for c in self.children[k]:
                child = built[c]
                assert child is not None
                kids.append(child)
                built[c] = None  # each child is used once
            if isinstance(node, Terminal):
                built[k] = Terminal(node.label, payoffs[k], node.name)
            elif isinstance(node, Decision):
                built[k] = Decision(
                    node.player, dict(zip(node.moves, kids, strict=True)), node.infoset, node.name
                )
            else:
                built[k] = Chance(
                    {a: (p, c) for a, p, c in zip(node.moves, probs[k], kids, strict=True)},
                    node.name,
                )
        root = built[0]
        assert root is not None
        return GameTree(self.players, root, self.title)

    def evaluate(self, values: Mapping[Any, Any]) -> GameTree:
        """Substitute numbers or numpy arrays for the symbols of a symbolic tree.

        *values* maps sympy symbols (or their names) to numbers or arrays; the
        result is numeric, with :attr:`grid_shape` the broadcast of the arrays.

        Examples
        --------
        >>> import numpy as np, sympy as sp
        >>> c = sp.Symbol("c")
        >>> t = GameTree(["A"], Decision("A", {"x": Terminal("x", (c,)),
        ...                                     "y": Terminal("y", (1 - c,))}))
        >>> t.evaluate({"c": np.array([0.2, 0.7])}).grid_shape
        (2,)
        """
        import sympy

        names = {str(k): v for k, v in values.items()}
        symbols = [sympy.Symbol(k) for k in names]
        args = list(names.values())

        def convert(v: Value) -> Value:
            if not is_symbolic(v):
                return v
            free = {str(s) for s in v.free_symbols}
            missing = free - set(names)
            if missing:
                raise InvalidGameError(
                    f"GameTree.evaluate: no value given for symbol(s) {sorted(missing)}"
                )
            fn = sympy.lambdify(symbols, v, "numpy")
            out = fn(*args)
            arr = np.asarray(out, dtype=np.float64)
            return arr if arr.ndim else float(arr)

        return self.map_values(convert)

    # ------------------------------------------------------------------ strategies
    def reduced_strategies(self, player: int) -> list[dict[int, int]]:
        """The player's reduced pure strategies as ``{infoset: action_index}``.

        A reduced strategy fixes an action only at the information sets its
        own earlier choices do not rule out (equivalent plans are merged).
        """
        own = self.player_infosets[player]
        if not own:
            return [{}]
        seen: dict[tuple[tuple[int, int], ...], dict[int, int]] = {}
        for combo in itertools.product(*(range(len(self.infosets[h].actions)) for h in own)):
            plan = dict(zip(own, combo, strict=True))
            relevant = self._relevant_infosets(player, plan)
            key = tuple((h, plan[h]) for h in own if h in relevant)
            seen.setdefault(key, dict(key))
        return list(seen.values())

    def _relevant_infosets(self, player: int, plan: Mapping[int, int]) -> set[int]:
        reached: set[int] = set()
        stack = [0]
        while stack:
            k = stack.pop()
            node = self.nodes[k]
            if isinstance(node, Terminal):
                continue
            h = self.node_infoset[k]
            if h >= 0 and self.infosets[h].player == player:
                reached.add(h)
                if h in plan:
                    stack.append(self.children[k][plan[h]])
                    continue
            stack.extend(self.children[k])
        return reached

    def strategy_label(self, player: int, plan: Mapping[int, int]) -> str:
        """Readable label of a reduced strategy: actions per information set, ``*`` if free."""
        parts = []
        for h in self.player_infosets[player]:
            parts.append(self.infosets[h].actions[plan[h]] if h in plan else "*")
        return "/".join(parts) if parts else "-"

    def _require_numeric(self, what: str) -> None:
        if self.grid_shape != ():
            raise UnsupportedGameError(
                f"{what}: needs a single game; this tree holds a grid of shape {self.grid_shape} "
                "(use backward_induction_grid, or index the arrays)"
            )
        if self.is_symbolic:
            raise UnsupportedGameError(
                f"{what}: needs numeric payoffs; this tree is symbolic (call .evaluate first)"
            )

    def _plan_payoffs(self, plans: Sequence[Mapping[int, int]], exact: bool) -> list[Any]:
        """Expected payoffs when every player follows its (reduced) pure plan."""
        conv: Callable[[Value], Any] = to_fraction if exact else float
        zero: Any = Fraction(0) if exact else 0.0
        total = [zero] * self.n_players
        stack: list[tuple[int, Any]] = [(0, Fraction(1) if exact else 1.0)]
        while stack:
            k, w = stack.pop()
            node = self.nodes[k]
            if isinstance(node, Terminal):
                for i, v in enumerate(node.payoffs):
                    total[i] += w * conv(v)
            elif isinstance(node, Decision):
                h = self.node_infoset[k]
                stack.append((self.children[k][plans[self.infosets[h].player][h]], w))
            else:
                for c, (p, _) in zip(self.children[k], node.moves.values(), strict=True):
                    if p != 0:
                        stack.append((c, w * conv(p)))
        return total

    def to_normal_form(self) -> NormalFormGame:
        """The reduced normal form (strategic form) of the tree.

        Strategies are reduced pure strategies in the order of
        :meth:`reduced_strategies`, labelled by :meth:`strategy_label`.
        Exact when the tree's values are integers or rationals.

        Examples
        --------
        >>> t = GameTree(["A", "B"], Decision("A", {
        ...     "l": Decision("B", {"x": Terminal("o1", (1, 0)), "y": Terminal("o2", (0, 1))}),
        ...     "r": Terminal("o3", (2, 2))}))
        >>> t.to_normal_form().payoffs[0].tolist()
        [[1.0, 0.0], [2.0, 2.0]]
        """
        from coercion.games.normal_form import NormalFormGame

        self._require_numeric("GameTree.to_normal_form")
        exact = self.is_exact
        strategies = [self.reduced_strategies(i) for i in range(self.n_players)]
        shape = tuple(len(s) for s in strategies)
        table = np.empty((self.n_players, *shape), dtype=object)
        for profile in itertools.product(*(range(n) for n in shape)):
            plans = [strategies[i][k] for i, k in enumerate(profile)]
            for i, u in enumerate(self._plan_payoffs(plans, exact)):
                table[(i, *profile)] = u
        if not exact:
            table = table.astype(np.float64)
        labels = [[self.strategy_label(i, p) for p in strategies[i]] for i in range(self.n_players)]
        return NormalFormGame(table, players=self.players, actions=labels, title=self.title)

    def behavior_to_mixed(self, profile: BehaviorProfile) -> MixedProfile:
        """The mixed profile over reduced strategies that a behaviour profile induces."""
        from coercion.games.profiles import MixedProfile

        self._check_behavior(profile)
        exact = profile.exact is not None
        strategies: list[list[Any]] = []
        for i in range(self.n_players):
            dist = []
            for plan in self.reduced_strategies(i):
                w: Any = Fraction(1) if exact else 1.0
                for h, a in plan.items():
                    pos = self.player_infosets[i].index(h)
                    if exact:
                        assert profile.exact is not None
                        w *= profile.exact[i][pos][a]
                    else:
                        w *= float(profile[i][pos][a])
                dist.append(w)
            strategies.append(dist)
        if exact:
            return MixedProfile.from_exact(strategies)
        return MixedProfile(strategies)

    def mixed_to_behavior(self, profile: MixedProfile) -> BehaviorProfile:
        """Behaviour strategies equivalent to a mixed profile (Kuhn's theorem).

        Needs perfect recall.  At an information set the player's own mixed
        strategy never reaches, the behaviour is uniform (any choice there is
        payoff-irrelevant).
        """
        from coercion.games.profiles import BehaviorProfile

        if not self.has_perfect_recall:
            raise UnsupportedGameError(
                "GameTree.mixed_to_behavior: needs perfect recall; this tree has imperfect recall"
            )
        exact = profile.exact is not None
        out: list[list[list[Any]]] = []
        for i in range(self.n_players):
            plans = self.reduced_strategies(i)
            if len(profile[i]) != len(plans):
                raise InvalidGameError(
                    f"GameTree.mixed_to_behavior: player {i} has {len(plans)} reduced strategies; "
                    f"got {len(profile[i])} probabilities"
                )
            weights: list[Any] = (
                list(profile.exact[i])
                if profile.exact is not None
                else [float(p) for p in profile[i]]
            )
            per_infoset = []
            for h in self.player_infosets[i]:
                n_act = len(self.infosets[h].actions)
                mass: list[Any] = [Fraction(0) if exact else 0.0 for _ in range(n_act)]
                for plan, w in zip(plans, weights, strict=True):
                    if h in plan:
                        mass[plan[h]] += w
                total = sum(mass)
                if total == 0:
                    one = Fraction(1, n_act) if exact else 1.0 / n_act
                    per_infoset.append([one] * n_act)
                else:
                    per_infoset.append([m / total for m in mass])
            out.append(per_infoset)
        if exact:
            return BehaviorProfile.from_exact(out)
        return BehaviorProfile(out)

    def _check_behavior(self, profile: BehaviorProfile) -> None:
        sizes = [[len(self.infosets[h].actions) for h in own] for own in self.player_infosets]
        got = [[len(h) for h in player] for player in profile.probabilities]
        if sizes != got:
            raise InvalidGameError(
                f"GameTree: behaviour profile must have action counts {sizes} "
                f"(per player, per information set); got {got}"
            )

    def expected_payoffs(self, profile: BehaviorProfile) -> np.ndarray:
        """Expected payoff of each player under a behaviour profile (floats)."""
        self._require_numeric("GameTree.expected_payoffs")
        self._check_behavior(profile)
        position = {h: pos for own in self.player_infosets for pos, h in enumerate(own)}
        total = np.zeros(self.n_players)
        stack: list[tuple[int, float]] = [(0, 1.0)]
        while stack:
            k, w = stack.pop()
            node = self.nodes[k]
            if isinstance(node, Terminal):
                total += w * np.array([float(v) for v in node.payoffs])
            elif isinstance(node, Decision):
                h = self.node_infoset[k]
                probs = profile[self.infosets[h].player][position[h]]
                for c, p in zip(self.children[k], probs, strict=True):
                    if p > 0:
                        stack.append((c, w * float(p)))
            else:
                for c, (p, _) in zip(self.children[k], node.moves.values(), strict=True):
                    if float(p) > 0:
                        stack.append((c, w * float(p)))
        return total

    def __repr__(self) -> str:
        title = f" {self.title!r}" if self.title else ""
        grid = f", grid={self.grid_shape}" if self.grid_shape else ""
        return (
            f"<GameTree{title}: {len(self.nodes)} nodes, {len(self.infosets)} information sets, "
            f"players={list(self.players)}{grid}>"
        )


def _check_probabilities(probs: list[Value], what: str | Callable[[], str]) -> None:
    if any(is_symbolic(p) for p in probs):
        return
    if all(is_exact_scalar(p) for p in probs):
        fr = [to_fraction(p) for p in probs]
        if any(p < 0 or p > 1 for p in fr):
            raise InvalidGameError(f"{_what(what)} must lie in [0, 1]; got {[str(p) for p in fr]}")
        if sum(fr) != 1:
            raise InvalidGameError(f"{_what(what)} must sum to 1; got sum {sum(fr)}")
        return
    arrays = [np.asarray(p, dtype=np.float64) for p in probs]
    try:
        np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError:
        raise InvalidGameError(f"{_what(what)} must broadcast to one shape") from None
    if any(a.size and (a.min() < 0 or a.max() > 1) for a in arrays):
        raise InvalidGameError(f"{_what(what)} must lie in [0, 1]")
    total = functools.reduce(np.add, arrays)
    if np.any(np.abs(total - 1.0) > 1e-9):
        bad = float(np.max(np.abs(total - 1.0)))
        raise InvalidGameError(
            f"{_what(what)} must sum to 1 (within 1e-9); got a deviation of {bad:g}"
        )
