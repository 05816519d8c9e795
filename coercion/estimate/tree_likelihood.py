"""The likelihood of a perfect-information game tree with random utilities.

Each utility ``u[p, t]`` of player ``p`` at terminal ``t`` is a linear index
``X β`` (plus a fixed offset) per unit of observation.  Shocks make every
outcome possible; two error structures are implemented (Signorino 1999, 2003;
Kenkel & Signorino 2014):

``agent``
    every move has its own shock (an agent quantal-response equilibrium): at a
    node of player ``m`` with continuation values ``V_a`` the choice
    probabilities are ``F(V_a; s)`` with ``s = √2 σ_m`` —
    ``Φ((V_1 - V_0)/s)`` (probit, two actions) or the softmax of ``V_a / s``
    (logit, any number of actions; R ``games``' convention for two actions);
``private``
    each player's utility of every terminal carries a normal shock
    ``N(0, σ_m²)`` known to that player only (perfect Bayesian equilibrium with
    cut-point strategies).  At a two-action node with terminal distributions
    ``q_0`` and ``q_1`` (other players' play integrated out),
    ``P(1) = Φ((V_1 - V_0) / (σ_m ‖q_1 - q_0‖))``; a mover may not move again
    below its own node.  For egame12 this is Signorino's
    ``Φ((p_3 u_13 + p_4 u_14 - u_11) / (σ_1 √(1 + p_3² + p_4²)))``.

Equilibria are unique (backward recursion), so the log-likelihood
``ℓ = Σ_i Σ_L y_iL log P_i(L)`` (``y`` counts of outcome label ``L``; labels
shared by several terminals add their probabilities) is a function of the
parameters alone.  Its gradient is exact: one reverse (adjoint) sweep of the
tree per evaluation, then ``∂ℓ/∂β = X' ū``.  Probabilities are kept in log
space (``log Φ`` by :func:`scipy.special.log_ndtr`), so no clipping is
needed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import log_ndtr, logsumexp

from coercion.errors import InvalidParameterError, UnsupportedGameError
from coercion.games.extensive_form import Chance, Decision, GameTree, Terminal

__all__ = ["ScaleBlock", "TreeLikelihood", "UtilityBlock"]

_SQRT2 = math.sqrt(2.0)
_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)


@dataclass(frozen=True)
class UtilityBlock:
    """``u[player, label] = design @ beta + offset`` for every unit."""

    player: int
    label: str
    prefix: str
    design: np.ndarray
    names: tuple[str, ...]
    offset: np.ndarray


@dataclass(frozen=True)
class ScaleBlock:
    """``log σ_p = design @ gamma`` for each listed player (a shared equation)."""

    players: tuple[int, ...]
    prefix: str
    design: np.ndarray
    names: tuple[str, ...]


class TreeLikelihood:
    """Log-likelihood, exact gradient and predictions of a tree model.

    Parameters
    ----------
    tree : GameTree
        Perfect information; chance probabilities numeric.
    utilities : sequence of UtilityBlock
        Estimated or fixed utilities; (player, label) pairs not listed are 0.
    scales : sequence of ScaleBlock
        Scale equations; players not covered have ``σ = 1``.
    counts : ndarray, shape (n, L)
        Observed counts per unit of each label of ``tree.outcome_labels``.
    errors : {"agent", "private"}
    link : {"probit", "logit"}
    """

    def __init__(
        self,
        tree: GameTree,
        utilities: Sequence[UtilityBlock],
        scales: Sequence[ScaleBlock],
        counts: np.ndarray,
        errors: str = "agent",
        link: str = "probit",
    ) -> None:
        if errors not in ("agent", "private"):
            raise InvalidParameterError(f"errors must be 'agent' or 'private'; got {errors!r}")
        if link not in ("probit", "logit"):
            raise InvalidParameterError(f"link must be 'probit' or 'logit'; got {link!r}")
        if errors == "private" and link != "probit":
            raise InvalidParameterError(
                "link: private-information shocks are normal, so link must be 'probit'; "
                f"got {link!r}"
            )
        if not tree.is_perfect_information:
            raise UnsupportedGameError(
                "estimation needs a perfect-information tree (one node per information set)"
            )
        self.tree = tree
        self.errors = errors
        self.link = link
        self.labels = tree.outcome_labels
        self.counts = np.asarray(counts, dtype=float)
        n = self.counts.shape[0]
        if self.counts.shape != (n, len(self.labels)):
            raise InvalidParameterError(
                f"counts must have shape (n, {len(self.labels)}); got {self.counts.shape}"
            )
        self.n = n
        self.n_players = tree.n_players
        self._compile()
        self.utilities = tuple(utilities)
        self.scales = tuple(scales)
        names: list[str] = []
        slices: list[slice] = []
        start = 0
        seen: set[tuple[int, str]] = set()
        for block in self.utilities:
            key = (block.player, block.label)
            if key in seen:
                raise InvalidParameterError(
                    f"utility of player {tree.players[block.player]!r} at {block.label!r} "
                    "is given twice"
                )
            seen.add(key)
            if block.label not in self.labels:
                raise InvalidParameterError(
                    f"utility: the tree has no outcome {block.label!r}; "
                    f"outcomes: {', '.join(self.labels)}"
                )
            k = block.design.shape[1]
            slices.append(slice(start, start + k))
            names.extend(f"{block.prefix}:{c}" for c in block.names)
            start += k
        scale_slices: list[slice] = []
        covered: set[int] = set()
        for sblock in self.scales:
            if covered & set(sblock.players):
                raise InvalidParameterError("scale: a player has two scale equations")
            covered |= set(sblock.players)
            k = sblock.design.shape[1]
            scale_slices.append(slice(start, start + k))
            names.extend(f"{sblock.prefix}:{c}" for c in sblock.names)
            start += k
        self.param_names = tuple(names)
        self.n_params = start
        self._slices = tuple(slices)
        self._scale_slices = tuple(scale_slices)

    # ------------------------------------------------------------------ structure
    def _compile(self) -> None:
        tree = self.tree
        label_index = {lab: i for i, lab in enumerate(self.labels)}
        self._term_pos: dict[int, int] = {}
        self._term_label: list[int] = []
        for leaf in tree.terminals:
            term = tree.nodes[leaf]
            assert isinstance(term, Terminal)
            self._term_pos[leaf] = len(self._term_label)
            self._term_label.append(label_index[term.label])
        self.n_terminals = len(self._term_label)
        self._chance: dict[int, np.ndarray] = {}
        self._mover: dict[int, int] = {}
        for k, node in enumerate(tree.nodes):
            if isinstance(node, Chance):
                try:
                    probs = np.array([float(p) for p, _ in node.moves.values()])
                except TypeError:
                    raise UnsupportedGameError(
                        "estimation needs numeric chance probabilities"
                    ) from None
                self._chance[k] = probs
            elif isinstance(node, Decision):
                mover = tree.node_infoset[k]
                player = tree.infosets[mover].player
                self._mover[k] = player
                n_actions = len(tree.children[k])
                if (self.link == "probit" or self.errors == "private") and n_actions != 2:
                    raise UnsupportedGameError(
                        f"{self.errors}-error probit needs two actions at every move; the node "
                        f"of {tree.players[player]!r} with actions "
                        f"{', '.join(tree.actions_at(k))} has {n_actions} (use link='logit' "
                        "with agent errors)"
                    )
                if self.errors == "private":
                    for d in tree.subtree_nodes(k):
                        if d != k and self._is_decision_of(d, player):
                            raise UnsupportedGameError(
                                "private-information errors on a general tree need every player "
                                "to move at most once along any path; "
                                f"{tree.players[player]!r} moves twice (the signalling game "
                                "has its own estimator)"
                            )

    def _is_decision_of(self, node: int, player: int) -> bool:
        n = self.tree.nodes[node]
        if not isinstance(n, Decision):
            return False
        return self.tree.infosets[self.tree.node_infoset[node]].player == player

    # ------------------------------------------------------------------ evaluation
    def _utilities(self, theta: np.ndarray) -> np.ndarray:
        """``(players, terminals, n)`` utilities."""
        by_label = np.zeros((self.n_players, len(self.labels), self.n))
        for block, sl in zip(self.utilities, self._slices, strict=True):
            li = self.labels.index(block.label)
            by_label[block.player, li] = block.design @ theta[sl] + block.offset
        return by_label[:, self._term_label, :]

    def _log_sigma(self, theta: np.ndarray) -> np.ndarray:
        out = np.zeros((self.n_players, self.n))
        for sblock, sl in zip(self.scales, self._scale_slices, strict=True):
            value = sblock.design @ theta[sl]
            for p in sblock.players:
                out[p] = value
        return out

    def _forward(self, theta: np.ndarray) -> dict[str, object]:
        tree = self.tree
        theta = np.asarray(theta, dtype=float)
        if theta.shape != (self.n_params,):
            raise InvalidParameterError(
                f"theta must have {self.n_params} entries; got shape {theta.shape}"
            )
        U = self._utilities(theta)
        log_sigma = self._log_sigma(theta)
        sigma = np.exp(log_sigma)
        nn = len(tree.nodes)
        private = self.errors == "private"
        V: list[np.ndarray] = [np.empty(0)] * nn
        Q: list[np.ndarray] = [np.empty(0)] * nn
        logP: dict[int, np.ndarray] = {}
        P: dict[int, np.ndarray] = {}
        zeta: dict[int, np.ndarray] = {}
        scale: dict[int, np.ndarray] = {}
        dq: dict[int, np.ndarray] = {}
        for k in range(nn - 1, -1, -1):
            node = tree.nodes[k]
            kids = tree.children[k]
            if isinstance(node, Terminal):
                t = self._term_pos[k]
                V[k] = U[:, t, :]
                if private:
                    q = np.zeros((self.n_terminals, self.n))
                    q[t] = 1.0
                    Q[k] = q
                continue
            if isinstance(node, Chance):
                pr = self._chance[k]
                V[k] = np.einsum("a,apn->pn", pr, np.stack([V[c] for c in kids]))
                if private:
                    Q[k] = np.einsum("a,atn->tn", pr, np.stack([Q[c] for c in kids]))
                continue
            m = self._mover[k]
            z = np.stack([V[c][m] for c in kids])
            if private:
                delta = Q[kids[1]] - Q[kids[0]]
                dq[k] = delta
                s = sigma[m] * np.sqrt(np.einsum("tn,tn->n", delta, delta))
            else:
                s = _SQRT2 * sigma[m]
            zt = z / s
            if self.link == "probit":
                x = zt[1] - zt[0]
                lp = np.stack([log_ndtr(-x), log_ndtr(x)])
            else:
                lp = zt - logsumexp(zt, axis=0)
            p_ = np.exp(lp)
            logP[k], P[k], zeta[k], scale[k] = lp, p_, zt, np.broadcast_to(s, (self.n,))
            V[k] = np.einsum("an,apn->pn", p_, np.stack([V[c] for c in kids]))
            if private:
                Q[k] = np.einsum("an,atn->tn", p_, np.stack([Q[c] for c in kids]))
        # reach log-probabilities, preorder
        logR: list[np.ndarray] = [np.empty(0)] * nn
        logR[0] = np.zeros(self.n)
        for k in range(nn):
            node = tree.nodes[k]
            if isinstance(node, Terminal):
                continue
            kids = tree.children[k]
            if isinstance(node, Chance):
                with np.errstate(divide="ignore"):
                    lpc = np.log(self._chance[k])
                for a, c in enumerate(kids):
                    logR[c] = logR[k] + lpc[a]
            else:
                for a, c in enumerate(kids):
                    logR[c] = logR[k] + logP[k][a]
        log_term = np.stack([logR[t] for t in tree.terminals])  # (T, n)
        log_label = np.full((len(self.labels), self.n), -np.inf)
        for li in range(len(self.labels)):
            rows = [i for i, lab in enumerate(self._term_label) if lab == li]
            log_label[li] = logsumexp(log_term[rows], axis=0)
        return {
            "theta": theta,
            "V": V,
            "Q": Q,
            "logP": logP,
            "P": P,
            "zeta": zeta,
            "scale": scale,
            "dq": dq,
            "log_term": log_term,
            "log_label": log_label,
        }

    def log_outcome_probabilities(self, theta: np.ndarray) -> np.ndarray:
        """``(n, L)`` log-probabilities of each outcome label."""
        log_label = self._forward(theta)["log_label"]
        assert isinstance(log_label, np.ndarray)
        return log_label.T

    def outcome_probabilities(self, theta: np.ndarray) -> np.ndarray:
        """``(n, L)`` probabilities of each outcome label (rows sum to 1)."""
        out: np.ndarray = np.exp(self.log_outcome_probabilities(theta))
        return out

    def action_probabilities(self, theta: np.ndarray) -> dict[int, np.ndarray]:
        """Per decision node (preorder index), ``(n, actions)`` choice probabilities."""
        fw = self._forward(theta)
        P = fw["P"]
        assert isinstance(P, dict)
        return {k: np.asarray(v).T for k, v in P.items()}

    def loglik(self, theta: np.ndarray) -> float:
        """The log-likelihood at *theta*."""
        fw = self._forward(theta)
        return float(self._per_unit(fw).sum())

    def _per_unit(self, fw: dict[str, object]) -> np.ndarray:
        log_label = fw["log_label"]
        assert isinstance(log_label, np.ndarray)
        y = self.counts.T
        with np.errstate(invalid="ignore"):
            terms = np.where(y > 0, y * log_label, 0.0)
        return np.asarray(terms.sum(axis=0))

    def loglik_per_unit(self, theta: np.ndarray) -> np.ndarray:
        """Each unit's log-likelihood contribution, shape ``(n,)``."""
        return self._per_unit(self._forward(theta))

    def value_and_grad(
        self, theta: np.ndarray, per_unit: bool = False
    ) -> tuple[float, np.ndarray]:
        """The log-likelihood and its exact gradient (``(n, K)`` scores if *per_unit*)."""
        fw = self._forward(theta)
        ll_units = self._per_unit(fw)
        ll = float(ll_units.sum())
        tree = self.tree
        nn = len(tree.nodes)
        log_term = fw["log_term"]
        log_label = fw["log_label"]
        V, Q, logP, P = fw["V"], fw["Q"], fw["logP"], fw["P"]
        zeta, scale, dq = fw["zeta"], fw["scale"], fw["dq"]
        assert isinstance(log_term, np.ndarray) and isinstance(log_label, np.ndarray)
        assert isinstance(V, list) and isinstance(Q, list)
        assert isinstance(logP, dict) and isinstance(P, dict)
        assert isinstance(zeta, dict) and isinstance(scale, dict) and isinstance(dq, dict)
        private = self.errors == "private"
        # w_t = y_L(t) P(t) / P(L(t)): the weight of terminal t in dl/dlog P
        y_term = self.counts.T[self._term_label]
        with np.errstate(invalid="ignore", over="ignore"):
            w = np.where(y_term > 0, y_term * np.exp(log_term - log_label[self._term_label]), 0.0)
        W: list[np.ndarray] = [np.zeros(self.n)] * nn
        for k in range(nn - 1, -1, -1):
            node = tree.nodes[k]
            if isinstance(node, Terminal):
                W[k] = w[self._term_pos[k]]
            else:
                W[k] = sum(W[c] for c in tree.children[k])  # type: ignore[assignment]
        Vbar: list[np.ndarray] = [np.zeros((self.n_players, self.n)) for _ in range(nn)]
        Qbar: list[np.ndarray | None] = [None] * nn
        Ubar = np.zeros((self.n_players, self.n_terminals, self.n))
        sigma_bar = np.zeros((self.n_players, self.n))
        for k in range(nn):
            node = tree.nodes[k]
            kids = tree.children[k]
            if isinstance(node, Terminal):
                Ubar[:, self._term_pos[k], :] = Vbar[k]
                continue
            qb = Qbar[k]
            if isinstance(node, Chance):
                for p, c in zip(self._chance[k], kids, strict=True):
                    Vbar[c] += p * Vbar[k]
                    if private and qb is not None:
                        Qbar[c] = p * qb if Qbar[c] is None else Qbar[c] + p * qb
                continue
            m = self._mover[k]
            pk = P[k]
            lpbar = np.stack([W[c] for c in kids])  # dl/dlogP_a
            pbar = np.stack([np.einsum("pn,pn->n", Vbar[k], V[c]) for c in kids])
            if private and qb is not None:
                pbar = pbar + np.stack([np.einsum("tn,tn->n", qb, Q[c]) for c in kids])
            for a, c in enumerate(kids):
                Vbar[c] += pk[a] * Vbar[k]
                if private and qb is not None:
                    Qbar[c] = pk[a] * qb if Qbar[c] is None else Qbar[c] + pk[a] * qb
            zt = zeta[k]
            if self.link == "probit":
                x = zt[1] - zt[0]
                logphi = -0.5 * x * x - _LOG_SQRT_2PI
                phi = np.exp(logphi)
                lam_pos = np.exp(logphi - logP[k][1])  # phi(x)/Phi(x)
                lam_neg = np.exp(logphi - logP[k][0])  # phi(x)/Phi(-x)
                xbar = (pbar[1] - pbar[0]) * phi + lpbar[1] * lam_pos - lpbar[0] * lam_neg
                zbar_t = np.stack([-xbar, xbar])
            else:
                zbar_t = lpbar - pk * lpbar.sum(axis=0)
                zbar_t = zbar_t + pk * (pbar - (pk * pbar).sum(axis=0))
            s = scale[k]
            for a, c in enumerate(kids):
                Vbar[c][m] += zbar_t[a] / s
            log_s_bar = -(zbar_t * zt).sum(axis=0)
            sigma_bar[m] += log_s_bar
            if private:
                delta = dq[k]
                d2 = np.einsum("tn,tn->n", delta, delta)
                g = log_s_bar / d2 * delta
                for sign, c in ((1.0, kids[1]), (-1.0, kids[0])):
                    Qbar[c] = sign * g if Qbar[c] is None else Qbar[c] + sign * g
        # contract with the designs
        label_terms = [
            [t for t, lab in enumerate(self._term_label) if lab == li]
            for li in range(len(self.labels))
        ]
        scores = np.zeros((self.n, self.n_params))
        for block, sl in zip(self.utilities, self._slices, strict=True):
            if sl.stop == sl.start:
                continue
            li = self.labels.index(block.label)
            ub = Ubar[block.player, label_terms[li], :].sum(axis=0)
            scores[:, sl] = block.design * ub[:, None]
        for sblock, ssl in zip(self.scales, self._scale_slices, strict=True):
            sb = sum(sigma_bar[p] for p in sblock.players)
            scores[:, ssl] = sblock.design * np.asarray(sb)[:, None]
        if per_unit:
            return ll, scores
        return ll, scores.sum(axis=0)
