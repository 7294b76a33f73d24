"""Pages of the RAG advice log."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from resettle.accounts.models import User
from resettle.core.access import as_user
from resettle.core.views_generic import ObjectDetailView, ObjectEditView, ObjectListView
from resettle.governance import forms, services, tables
from resettle.governance.models import RagAdvice


class AdviceListView(ObjectListView):
    """The advice of the Refugee Advisory Group, and whether it was answered."""

    model = RagAdvice
    columns = tables.ADVICE_COLUMNS
    search_fields = ("subject", "advice", "answer", "addressee")
    filter_form = forms.AdviceFilterForm
    select_related = ("source", "target_forum", "cycle__forum")
    create_url_name = "governance:rag_advice_add"

    def can_create(self, user: User | None) -> bool:
        return bool(services.advisory_groups_for(user))


class AdviceDetailView(ObjectDetailView):
    """An advice item and its answer."""

    template_name = "governance/rag_advice_detail.html"

    def get_object(self, request: HttpRequest, **kwargs: Any) -> RagAdvice:
        return services.get_advice_for_user(kwargs["pk"], request.user)

    def can_edit(self, user: User | None, obj: RagAdvice) -> bool:
        return services.can_edit_advice(user, obj)

    def extra_context(self, request: HttpRequest, obj: RagAdvice) -> dict[str, Any]:
        return {"can_answer": services.can_answer_advice(as_user(request.user), obj)}


class AdviceEditView(ObjectEditView):
    """Give advice (RAG members, those who run the RAG), or correct it while open."""

    form_class = forms.AdviceForm
    create_service = staticmethod(services.do_give_advice)
    update_service = staticmethod(services.do_update_advice)

    def get_object(self, request: HttpRequest, **kwargs: Any) -> RagAdvice | None:
        if "pk" not in kwargs:
            return None
        return services.get_advice_for_user(kwargs["pk"], request.user)

    def can_create(self, user: User) -> bool:
        return bool(services.advisory_groups_for(user))

    def can_edit(self, user: User, obj: RagAdvice) -> bool:
        return services.can_edit_advice(user, obj)

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        groups = services.advisory_groups_for(as_user(request.user))
        return {"source": groups[0], "target_forum": groups[0].parent} if groups else {}


class AnswerView(ObjectEditView):
    """Record the answer to an advice item (editors of the forum it was given to)."""

    form_class = forms.AnswerForm
    update_service = staticmethod(services.do_answer_advice)

    def get_object(self, request: HttpRequest, **kwargs: Any) -> RagAdvice:
        return services.get_advice_for_user(kwargs["pk"], request.user)

    def can_create(self, user: User) -> bool:
        return False

    def can_edit(self, user: User, obj: RagAdvice) -> bool:
        return services.can_answer_advice(user, obj)
