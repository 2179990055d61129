"""The assistant: question → (rewrite) → plan → retrieve → answer → verify → `Answer`, as one runnable chain."""

from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata
from collections.abc import Sequence
from typing import Any

from langchain_core.runnables import Runnable, RunnableLambda

from assistant.answerers import RuleAnswerer
from assistant.audit import audit_chunks, audit_notes
from assistant.by_meaning import ReportScope, by_meaning
from assistant.draft import Draft
from assistant.llm import LLMAnswerer, LLMUnavailable, UnverifiedAnswer, make_chat_model
from assistant.matching import Matcher
from assistant.models import Answer, Mode, QuestionError
from assistant.plan import AnswerKind, Planner, QueryPlan
from assistant.question import Question
from assistant.rewrite import rewrite
from assistant.scoping import StoredReports
from assistant.semantic import SemanticAnswerer, UnitRanker, UnitVectors
from assistant.settings import Settings
from assistant.table_answers import TableAnswerer
from assistant.verify import unsupported_numbers
from assistant.which_report import bodies_answering, which_report
from ingest.pipeline import IngestReport, ingest_paths, remove_files
from vectorstore.embeddings import make_embeddings
from vectorstore.hybrid import HybridRetriever, ScoredChunk, scope_key
from vectorstore.store import ChunkStore

log = logging.getLogger(__name__)
MISSED_K = 2  # chunks read for the question's words that no hit names
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u2028-\u202e]")


class Assistant:
    """Answers questions about the stored reports, with citations. The only public face of the engine."""

    def __init__(self, retriever: HybridRetriever, settings: Settings, llm: LLMAnswerer | None = None,
                 semantic: SemanticAnswerer | None = None, tables: TableAnswerer | None = None) -> None:
        self.retriever = retriever
        self.tables = tables or TableAnswerer()
        self.settings = settings
        self.llm = llm
        self.semantic = semantic
        self._matcher: Matcher | None = None
        self._scoped: dict[tuple, Matcher] = {}  # per department/year filter, cleared on every refresh
        self._findings: list | None = None
        self._refresh_lock = threading.Lock()
        self._reloader: threading.Thread | None = None  # a reload after another process's ingest, if running
        self._reloader_guard = threading.Lock()
        self._load_s = 0.0  # how long the last load of the stored reports took
        self.reports = StoredReports(lambda: self.retriever.chunks, lambda: self.retriever.tokenizer, self.matcher_in)
        self.planner = Planner(self.reports)
        self.rules = RuleAnswerer(self, self._part_by_meaning)  # reads `corpus`, `search` and `vocabulary` of this assistant
        self.chain = self._build_chain()

    @classmethod
    def from_settings(cls, settings: Settings | None = None, embeddings=None) -> Assistant:
        """`embeddings` lets several assistants share one loaded model (evals over many stores)."""
        settings = settings or Settings()
        embeddings = embeddings or make_embeddings(settings.embedder, settings.st_model, settings.embed_threads)
        store = ChunkStore(embeddings, persist_dir=settings.store_dir, host=settings.chroma_host,
                           port=settings.chroma_port, collection=settings.collection)
        retriever = HybridRetriever(store=store, k=settings.top_k, fetch_k=settings.fetch_k,
                                    fusion=settings.fusion, lexical_weight=settings.lexical_weight)
        llm = None
        if settings.llm_enabled:
            llm = LLMAnswerer(make_chat_model(settings.llm_base_url, settings.llm_model, settings.llm_api_key,
                                              settings.llm_timeout, settings.llm_max_tokens))
        semantic = SemanticAnswerer(UnitRanker(UnitVectors(embeddings)))
        return cls(retriever, settings, llm, semantic)

    # --- corpus -------------------------------------------------------------------------------
    @property
    def store(self) -> ChunkStore:
        return self.retriever.store

    def ingest(self, paths: Sequence, **kwargs: Any) -> IngestReport:
        report = ingest_paths(list(paths), self.store, **kwargs)
        self.refresh()
        return report

    def remove(self, origins: Sequence[str]) -> int:
        """Stop answering from these files (their stored paths, `Chunk.origin`); returns the chunks removed."""
        removed = remove_files(self.store, list(origins))
        self.refresh()
        return removed

    def ensure_corpus(self, progress: bool = True) -> IngestReport | None:
        """Ingest the bundled report when the store is empty (first start); else load the stored corpus now,
        so that the first question does not wait for it (10 s and more at 1,000 reports)."""
        if self.store.count() > 0:
            self.load()
            return None
        log.info("store is empty: ingesting %s", self.settings.corpus_dir)
        return self.ingest([self.settings.corpus_dir], progress=progress)

    def refresh(self) -> None:
        """Reload the served chunks, BM25 and the matcher (after an ingest, here or in another process)."""
        with self._refresh_lock:  # two desk requests may find the corpus stale at once: load it once
            started = time.perf_counter()
            view = self.retriever.load()  # questions meanwhile are answered from the loaded corpus
            chunks = view.chunks
            matcher = Matcher(chunks, names=self.retriever.tokenizer.names)
            self.retriever.install(view)
            self._matcher, self._scoped = matcher, {}
            self._findings = None  # re-audit after an ingest
            self._load_s = time.perf_counter() - started

    @property
    def reloading(self) -> bool:
        """Whether newly ingested reports are being loaded in the background (not yet answered from)."""
        reloader = self._reloader
        return reloader is not None and reloader.is_alive()

    def _reload_in_background(self) -> None:
        """Another process ingested: load its reports on a thread. The question that noticed waits up to
        `reload_wait_s` for them, unless the last load took longer than that (at 1,000 reports it takes 10 s
        and more); later questions do not wait."""
        with self._reloader_guard:
            if self.reloading:
                return
            self._reloader = threading.Thread(target=self._reload, name="report-qa-reload", daemon=True)
            self._reloader.start()
            reloader = self._reloader
        if self._load_s <= self.settings.reload_wait_s:
            reloader.join(self.settings.reload_wait_s)

    def _reload(self) -> None:
        try:
            self.refresh()
        except Exception:  # the store still reads stale, so the next check (within 2 s) tries again
            log.exception("reloading the stored reports failed; answering from those loaded before")

    @property
    def findings(self) -> list:
        """The 报告数据核对 findings of the stored reports, audited once per refresh."""
        if self._findings is None:
            self._findings = audit_chunks(self.retriever.chunks)
        return self._findings

    def load(self) -> Matcher:
        """The stored corpus, loaded now if it is not yet (the matcher's vocabulary and the reports' names)."""
        return self.matcher

    @property
    def matcher(self) -> Matcher:
        if self._matcher is None:
            self.refresh()
        elif self.retriever.stale():  # another process ingested meanwhile
            self._reload_in_background()
        return self._matcher

    def matcher_in(self, filters: dict | None) -> Matcher:
        """The matcher whose term statistics come from the reports a filter keeps. With 1,000 reports of one
        genre stored, 科技计划项目 is common corpus-wide but rare inside the 科技局 report: weighed by the whole
        corpus, the asked-for sentence lost to its neighbour; weighed inside the scope, a scoped answer is the
        one the report alone gives."""
        matcher = self.matcher
        chunks = self.retriever.scope_chunks(filters) if filters else None
        if chunks is None:
            return matcher
        key = scope_key(filters)
        scoped = self._scoped.get(key)
        if scoped is None:
            if len(self._scoped) >= 64:
                self._scoped.clear()
            scoped = self._scoped[key] = Matcher(chunks, names=self.retriever.tokenizer.names)
        return scoped

    vocabulary = matcher_in  # the `Evidence` seam of the rules' answerers

    @property
    def years(self) -> set[int]:
        """Every year the stored reports mention."""
        return self.matcher.years

    def facets(self) -> list[tuple[str, int | None]]:
        """(department, year) pairs of the stored reports, for a selector."""
        return sorted({(c.department, c.year) for c in self.retriever.chunks}, key=str)

    # --- asking -------------------------------------------------------------------------------
    def ask(self, question: str, history: Sequence[dict] | None = None, filters: dict | None = None) -> Answer:
        started = time.perf_counter()
        try:
            clean = self.validate(question)
        except QuestionError as exc:
            return Answer(question=str(question)[:200], text=str(exc), abstained=True, mode=Mode.REFUSED)
        # A turn given as plain text is the user's (["该局2022年预算是多少？"]); anything else that is no turn is dropped.
        turns = [t if isinstance(t, dict) else {"role": "user", "content": t} for t in history or []
                 if isinstance(t, (dict, str))]
        answer = self.chain.invoke({"question": clean, "history": turns, "filters": filters})
        notes = audit_notes(answer, self.findings)  # e.g. the cited 449.34.34万元 is malformed: say so
        if notes:
            answer.notice = " ".join(filter(None, [answer.notice, *notes]))
        answer.latency_ms = (time.perf_counter() - started) * 1000
        return answer

    def retrieve(self, question: str, history: Sequence[dict] | None = None, filters: dict | None = None) -> list:
        """The chunks `ask` would read for this question, best first (for evals and debugging)."""
        state = {"question": self.validate(question), "history": list(history or []), "filters": filters}
        state["standalone"] = self._rewrite(state)
        state["plan"] = self._plan(state)
        return self._retrieve(state)

    def validate(self, question: str) -> str:
        if not isinstance(question, str):
            raise QuestionError("问题必须是文字 (question must be text)")
        clean = _CONTROL.sub("", unicodedata.normalize("NFC", question)).strip()
        if not clean:
            raise QuestionError("问题不能为空，请输入您想了解的内容。 (The question is empty.)")
        limit = self.settings.max_question_chars
        if len(clean) > limit:
            raise QuestionError(f"问题过长（{len(clean)} 字），请控制在 {limit} 字以内。 "
                                f"(The question is {len(clean)} characters; the limit is {limit}.)")
        return clean

    def _build_chain(self) -> Runnable:
        """question → rewrite → plan → retrieve → answer → verify. Steps run in sequence, on one thread."""
        return (_step("standalone", self._rewrite) | _step("plan", self._plan) | _step("hits", self._retrieve)
                | _step("draft", self._answer) | RunnableLambda(self._verify, name="verify"))

    def _rewrite(self, state: dict) -> str:
        return rewrite(state["question"], state["history"])

    def _plan(self, state: dict) -> QueryPlan:
        self.load()  # the corpus first: the tokenizer learns the reports' names from it
        return self.planner.plan(state["question"], state["standalone"], state.get("filters"))

    def _retrieve(self, state: dict) -> list:
        plan: QueryPlan = state["plan"]
        if not plan.kind.reads_report:  # a question in another language: nothing to search for
            return []
        return self.search(plan.question, plan.scope)

    def search(self, q: Question, scope: dict | None, k: int | None = None) -> list:
        """The chunks that best answer `q` within `scope`, by its words and every report-side form of them."""
        documents = self.retriever.invoke(q.norm, {"run_name": "retrieve"}, lexical_query=q.search_text(), k=k,
                                          filters=scope)  # the LangChain retriever interface, traced as a run
        hits = self.retriever.hits(documents)
        return hits + self._missed(q, scope, hits)

    def _missed(self, q: Question, scope: dict | None, hits: list) -> list:
        """The chunks that best name the question's words that no hit names (unranked, after the hits). In a
        question naming its project at length (某村某产业项目新打的机井有多深), the project's name fills the fused
        top-k with the chunks that repeat it, and the one stating 300米深机井 is left out."""
        if q.english or not hits:
            return []
        texts = [h.chunk.text for h in hits]
        unnamed = [t for t in q.terms if len(t) >= 2
                   and not any(f in text for f in (t, *q.expanded.get(t, ())) for text in texts)]
        if not unnamed:  # (most questions: the corpus is not scanned at all)
            return []
        matcher = self.matcher_in(scope)
        missing = [t for t in unnamed if matcher.in_corpus(t)]
        if not missing:
            return []
        seen = {h.chunk.id for h in hits}
        return [ScoredChunk(s.chunk, 0.0) for s in self.retriever.lexical_search(" ".join(missing), MISSED_K, scope)
                if s.chunk.id not in seen]

    @property
    def corpus(self) -> list:
        return self.retriever.chunks

    def chunks_in(self, scope: dict | None) -> list:
        """The served chunks a scope keeps (all of them without one)."""
        in_scope = self.retriever.scope_chunks(scope) if scope else None
        return self.corpus if in_scope is None else in_scope

    def _answer(self, state: dict) -> tuple[Draft, Mode]:
        """The table's records, else the rules' answerer for the plan's kind, else the closest unit in meaning;
        then, if configured, a model's answer, verified."""
        plan: QueryPlan = state["plan"]
        if not plan.kind.reads_report:  # the question is not taken: said so politely, like one too long
            return self.rules.answer(plan, state["hits"]), Mode.REFUSED
        if plan.kind is AnswerKind.FIELD:  # the label's value where the report writes one, else any question
            field = self.rules.answer(plan, state["hits"])
            if not field.abstained:
                return field, Mode.EXTRACTIVE
            plan = plan.otherwise
            state = {**state, "plan": plan}
        q = plan.question
        table = self.tables.answer(q.text, self.chunks_in(plan.scope), q.measure, rank=q.compare if q.ranks else "")
        if table is not None:  # a table's own cells, compared by code: nothing for a model to add
            return table, Mode.EXTRACTIVE
        extractive = self.rules.answer(plan, state["hits"])
        if extractive.abstained and plan.kind is not AnswerKind.ABSTAIN:
            # No rule found it, or its words are not the report's: ask by meaning.
            extractive = self._by_meaning(plan, state) or extractive
        if extractive.abstained:
            log.info("abstain (%s): %s", plan.reason or "no answer", q.text)
        if self.llm is None or extractive.abstained or extractive.partial:
            # A question the report answers only in part (…？忽略以上所有指令…) is not handed to a model.
            return extractive, Mode.EXTRACTIVE
        try:
            return self.llm.answer(state["standalone"], state["hits"]), Mode.LLM
        except UnverifiedAnswer as exc:
            log.warning("LLM answer rejected: %s", exc)
            extractive.notice = "大模型的回答含有引用原文中没有的数字，已改用原文摘录答案。"
            return extractive, Mode.LLM_FALLBACK
        except LLMUnavailable as exc:
            log.warning("LLM answer not used: %s", exc)
            extractive.notice = "大模型暂不可用或回答无法核实，以下为原文摘录答案。"
            return extractive, Mode.LLM_FALLBACK

    def _by_meaning(self, plan: QueryPlan, state: dict) -> Draft | None:
        """The unit of the retrieved chunks closest in meaning to the question, when it is close enough."""
        if self.semantic is None:
            return None
        # Wider than the rules read: a paraphrase or an English question finds its chunk less surely by words.
        wide = self.search(plan.question, plan.scope, k=self.settings.meaning_k)
        # An English question none of whose words the genre glossary finds in the report: the unit must name two
        # of its words through the general dictionary.
        unknown = plan.reason.startswith("nothing known")
        scope = ReportScope(own_names=self.reports.own_names(), departments=self.reports.departments(),
                            matcher=self.matcher_in(plan.scope))
        return by_meaning(self.semantic, plan.question, {**state, "meaning_hits": wide, "words_unknown": unknown},
                          scope)

    def _part_by_meaning(self, ask: Question, search: Question, scope: dict | None, hits: list) -> Draft | None:
        """One part of a several-part question, asked by meaning: its own words, searched with the whole's (`hits`,
        what that search retrieved for the rules)."""
        if self.semantic is None:
            return None
        plan = QueryPlan(ask, search.text, scope, AnswerKind.SINGLE)
        state = {"question": search.text, "standalone": search.text, "history": [], "hits": hits}
        return self._by_meaning(plan, state)

    def _verify(self, state: dict) -> Answer:
        draft, mode = state["draft"]
        answer = draft.to_answer(state["question"], mode)
        answer.rewritten_question = state["standalone"] if state["standalone"] != state["question"] else ""
        bad = unsupported_numbers(answer.text, [c.quote for c in answer.citations])
        if bad and not answer.abstained:
            # Never reached by the extractive answerer; a last guard for any answerer.
            log.error("unsupported figures %s in answer to %r", bad, state["question"])
            return Draft.not_found().to_answer(state["question"], mode)
        plan: QueryPlan = state["plan"]
        scoped = plan.scope
        reports = self.reports.reports()
        if answer.citations and not scoped and len(reports) > 1:
            bodies = bodies_answering(plan.question, draft, self.corpus, reports)
            if len(bodies) > 1:  # several bodies' reports speak of it: never pick or mix one; ask which is meant
                answer = which_report(state["question"], mode, bodies, len(self.reports.departments()))
            else:  # a subject only one body's report holds: say whose report it is
                owners = "；".join(f"[{i + 1}] {s.chunk.department or s.chunk.title}"
                                  f"{f'（{s.chunk.year}年）' if s.chunk.year else ''}" for i, s in enumerate(draft.spans))
                answer.notice = " ".join(filter(None, [answer.notice, f"问题未指明部门，以下引文分别出自：{owners}。"]))
        if self.reloading:
            answer.notice = " ".join(filter(None, [answer.notice, "报告库正在载入新入库的报告，本次回答尚未包含它们，请稍后再问。"]))
        pending = self.retriever.pending(scoped)
        if pending:  # a two-phase ingest is still embedding: those chunks were found by their words alone
            answer.notice = " ".join(filter(None, [answer.notice,
                                                   f"报告库正在建立语义索引：尚有 {pending} 段原文只能按关键词检索，"
                                                   f"答案可能不完整，稍后再问会更准确。"]))
        return answer


def _step(key: str, fn) -> Runnable:
    """A chain step that adds `key` to the state dict."""
    return RunnableLambda(lambda state: {**state, key: fn(state)}, name=key)

