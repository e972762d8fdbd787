"""The transition helper every app's ``workflow.py`` table plugs into.

An app declares its state machine as data::

    WORKFLOW = Workflow(
        model=Proposal,
        history_model=ProposalHistory,
        transitions=[
            Transition("submitted", "review", "under_review", "proposals.review", _("审查")),
            ...
        ],
    )

and its services call ``WORKFLOW.apply(obj=..., action=..., actor=...)``, the only code that
assigns the state. ``apply`` locks the row, re-checks the state and the permission on the locked
row, saves only the state field, writes one immutable history row and one audit row, and runs
``on_commit`` callbacks after the transaction commits. Buttons and the API's
``available_actions`` come from ``available()``.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from zhengxie.core.audit import audit_record
from zhengxie.core.models import AuditAction


class InvalidTransition(Exception):
    """The action is not possible from the object's current state (answers HTTP 409)."""


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...] | str
    action: str
    target: str
    permission: str
    label: str = ""
    style: str = "primary"
    # Automatic transitions follow from another action (e.g. the last reply marks the proposal
    # replied): never offered as a button, and checked by the service that triggers them.
    automatic: bool = False

    def allows_from(self, state):
        sources = (self.sources,) if isinstance(self.sources, str) else self.sources
        return state in sources


@dataclass
class Workflow:
    model: type
    history_model: type
    transitions: Iterable[Transition]
    state_field: str = "state"
    _by_action: dict = field(init=False, repr=False)

    def __post_init__(self):
        self.transitions = tuple(self.transitions)
        self._by_action = {}
        for t in self.transitions:
            self._by_action.setdefault(t.action, []).append(t)

    @property
    def actions(self):
        return list(self._by_action)

    def find(self, state, action):
        for t in self._by_action.get(action, ()):
            if t.allows_from(state):
                return t
        return None

    def available(self, obj, user):
        state = getattr(obj, self.state_field)
        return [
            t for t in self.transitions if t.allows_from(state) and user.has_perm(t.permission, obj)
        ]

    def apply(
        self,
        *,
        obj,
        action: str,
        actor,
        note: str = "",
        data: dict | None = None,
        updates: dict | None = None,
        on_commit: Callable[[object], None] | None = None,
        check: Callable[[object], None] | None = None,
    ):
        """Perform ``action`` on ``obj``; return the locked, updated object.

        ``updates`` are further fields saved with the state; ``check`` runs on the locked row
        before anything is written and may raise ``ValidationError``.
        """
        if action not in self._by_action:
            raise InvalidTransition(_("未知操作:%(action)s") % {"action": action})
        with transaction.atomic():
            locked = self.model._base_manager.select_for_update().get(pk=obj.pk)
            state = getattr(locked, self.state_field)
            t = self.find(state, action)
            if t is None:
                raise InvalidTransition(
                    _("当前状态“%(state)s”下不能执行此操作,可能已被他人处理,请刷新后重试。")
                    % {"state": self.state_label(state)}
                )
            if not t.automatic and not actor.has_perm(t.permission, locked):
                raise PermissionDenied(_("您没有执行此操作的权限。"))
            if check is not None:
                check(locked)
            setattr(locked, self.state_field, t.target)
            fields = [self.state_field]
            for name, value in (updates or {}).items():
                setattr(locked, name, value)
                fields.append(name)
            locked.save(update_fields=fields)
            self.history_model.objects.create(
                subject=locked,
                from_state=state,
                action=action,
                to_state=t.target,
                actor=actor,
                note=note,
                data=data or {},
                **self.history_extra(locked),
            )
            audit_record(
                actor=actor,
                action=AuditAction.TRANSITION,
                obj=locked,
                before={self.state_field: state},
                after={self.state_field: t.target, "action": action},
                note=note,
            )
            if on_commit is not None:
                transaction.on_commit(lambda: on_commit(locked))
        return locked

    def note(self, *, obj, action: str, actor, note: str = "", data: dict | None = None):
        """A history row for an action that does not change the state (e.g. a corrected
        category or an approved extension)."""
        state = getattr(obj, self.state_field)
        return self.history_model.objects.create(
            subject=obj,
            from_state=state,
            action=action,
            to_state=state,
            actor=actor,
            note=note,
            data=data or {},
            **self.history_extra(obj),
        )

    def history_extra(self, obj):
        """Extra columns a concrete history model requires (e.g. its committee)."""
        fields = {f.name for f in self.history_model._meta.fields}
        return {"committee_id": obj.committee_id} if "committee" in fields else {}

    def state_label(self, state):
        field_obj = self.model._meta.get_field(self.state_field)
        return dict(field_obj.choices or ()).get(state, state)
