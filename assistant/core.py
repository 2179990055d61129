"""The assistant: question → (rewrite) → retrieve → answer → verify → `Answer`, as one runnable chain."""

from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata
from collections.abc import Sequence
from typing import Any

from langchain_core.runnables import Runnable, RunnableLambda

from assistant import lexicon
from assistant.audit import audit_chunks, audit_notes
from assistant.by_meaning import ReportScope, by_meaning
from assistant.departments import abbreviates, aliases
from assistant.draft import Draft
from assistant.extractive import answer_extractive
from assistant.glossary import departments_named
from assistant.indexing import IngestReport, ingest_paths, remove_files
from assistant.llm import LLMAnswerer, LLMUnavailable, UnverifiedAnswer, make_chat_model
from assistant.matching import Matcher
from assistant.models import NOT_FOUND, Answer, Mode, QuestionError
from assistant.multipart import (
    Part,
    compare_drafts,
    compared_subjects,
    merge,
    separate_asks,
    split_question,
)
from assistant.question import Intent, Question, UnitKind, analyse
from assistant.rewrite import context_split, rewrite
from assistant.semantic import SemanticAnswerer, UnitRanker, UnitVectors
from assistant.settings import Settings
from assistant.table_answers import TableAnswerer
from assistant.verify import unsupported_numbers
from assistant.which_report import bodies_answering, which_report
from vectorstore.embeddings import make_embeddings
from vectorstore.hybrid import HybridRetriever, scope_key
from vectorstore.store import ChunkStore

log = logging.getLogger(__name__)
_ORDINALS = "一二三四五六七八九十"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u2028-\u202e]")
_PLACE = re.compile(r"[\u4e00-\u9fff]{2,4}[省市县区]")
_QUOTED = re.compile(r"[“\"「]([^”\"」]{1,30})[”\"」]")  # a quoted name: 《…》 titles may be paraphrased
_CJK = re.compile(r"[\u4e00-\u9fff]")
_BODY = re.compile(r"[\u4e00-\u9fff]{2,12}?(?:委员会|局|厅|委|中心)")


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
            self.matcher
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

    def _filters(self, state: dict) -> dict | None:
        """The desk's department/year selection, else the departments the question names (科技局), else None.
        Worked out once per question, by the chain's `scope` step."""
        if "scope" in state:
            return state["scope"]
        return state.get("filters") or self._department_filter(state["parsed"])

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
        answer = self.chain.invoke({"question": clean, "history": list(history or []), "filters": filters})
        notes = audit_notes(answer, self.findings)  # e.g. the cited 449.34.34万元 is malformed: say so
        if notes:
            answer.notice = " ".join(filter(None, [answer.notice, *notes]))
        answer.latency_ms = (time.perf_counter() - started) * 1000
        return answer

    def retrieve(self, question: str, history: Sequence[dict] | None = None, filters: dict | None = None) -> list:
        """The chunks `ask` would read for this question, best first (for evals and debugging)."""
        state = {"question": self.validate(question), "history": list(history or []), "filters": filters}
        state["standalone"] = self._rewrite(state)
        state["parsed"] = self._analyse(state)
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
        """question → rewrite → analyse → retrieve → answer → verify. Steps run in sequence, on one thread."""
        return (_step("standalone", self._rewrite) | _step("parsed", self._analyse) | _step("scope", self._filters)
                | _step("hits", self._retrieve) | _step("draft", self._answer)
                | RunnableLambda(self._verify, name="verify"))

    def _rewrite(self, state: dict) -> str:
        return rewrite(state["question"], state["history"])

    def _analyse(self, state: dict) -> Question:
        # The matcher loads the corpus first: the tokenizer learns the reports' names from it. Which words the
        # reports know is read inside the desk's selection, so a selected report is read as if stored alone.
        known = self.matcher_in(state.get("filters")).in_corpus
        own = self._own_names()
        # A stored body named by a short form of its own (西平县交通局 for 西平县交通运输局) is context too.
        short = [b for b in _BODY.findall(state["standalone"]) for d in self._departments() if abbreviates(b, d)]
        return analyse(state["standalone"], self.retriever.tokenizer, known, (*own, *short))

    def _own_names(self) -> tuple[str, ...]:
        """The stored reports' own department names and places (某市, 科技局): whose report, not what about."""
        reports = self._reports()
        cached = getattr(self, "_own_names_cache", None)
        if cached is None or cached[0] is not reports:
            names: set[str] = set()
            for department in {d for d, _ in reports if d}:
                names |= department_aliases(department)
                place = re.match(r"^(.{2,4}?[省市县区])", department)
                if place:
                    names.add(place.group(1))
            cached = (reports, tuple(sorted(names, key=len, reverse=True)))
            self._own_names_cache = cached
        return cached[1]

    def _retrieve(self, state: dict) -> list:
        q: Question = state["parsed"]
        return self.retriever.search(q.norm, lexical_query=q.search_text(), filters=self._filters(state))

    def _department_filter(self, q: Question) -> dict | None:
        """With several departments stored, a question that names some of them (科技局) searches only those."""
        departments = self._departments()
        text = "|".join([q.norm, *departments_named(q.text.lower())]) if q.english else q.norm
        bodies = [(m.group(), text[: m.start()]) for m in _BODY.finditer(text)]  # read once, not per department
        named = [d for d in departments if self._names_department(text, d, bodies)]
        if not named or len(named) == len(departments):
            return None
        return {"department": sorted(named)}

    def _names_department(self, text: str, department: str, bodies: list[tuple[str, str]]) -> bool:
        """Whether `text` names `department`: 科技局 names 某市科学技术局, but 另一市统计局 and 国家统计局,
        third parties in the report, name other bodies than 某市统计局."""
        own = re.match(r"^(.{2,4}?[省市县区])", department)
        for alias in department_aliases(department):
            for m in re.finditer(re.escape(alias), text):
                before = text[: m.start()]
                if (own and before.endswith(own.group(1))) or not self._other_place_ends(before):
                    return True
        # 发改局 for 发展和改革局, 西平县交通局 for 西平县交通运输局: a short form by the general rules.
        # `bodies`: each body named in `text`, with the text before it.
        return any(abbreviates(body, department) and not self._other_place_ends(before) for body, before in bodies)

    def _other_place_ends(self, text: str) -> bool:
        """Whether `text` ends in a body's place or level (国家, 省, 另一市: a place the reports mention)."""
        if text.endswith(("国家", "中央", "省")):
            return True
        places = (text[-k - 1:] for k in (2, 3, 4) if len(text) > k)
        return any(_PLACE.fullmatch(p) and self.matcher.in_corpus(p) for p in places)

    def _answer(self, state: dict) -> tuple[Draft, Mode]:
        q: Question = state["parsed"]
        filters = self._filters(state)
        in_scope = self.retriever.scope_chunks(filters) if filters else None
        in_scope = self.retriever.chunks if in_scope is None else in_scope
        table = self.tables.answer(q.text, in_scope, q.measure)
        if table is not None:  # a table's own cells, compared by code: nothing for a model to add
            return table, Mode.EXTRACTIVE
        # Several questions at once are each checked on their own (局长是谁？某贷款产品发放了几笔？ answers the second).
        reason = "" if separate_asks(q.text) else self.out_of_scope(q, self.matcher_in(self._filters(state)))
        # For an English question, a word the genre glossary knows (official travel → 差旅) that the report never
        # uses is a subject the report lacks; words it cannot map leave the meaning to the embedder.
        if reason.startswith(_HARD_REASONS) or (q.english and reason.startswith(("unknown", "nothing known"))):
            log.info("abstain (%s): %s", reason, q.text)
            return Draft.not_found(), Mode.EXTRACTIVE
        extractive = Draft.not_found() if reason else self._extractive(q, state)
        # No rule found it, or its words are not the report's: ask by meaning. Not a figure asked in words the report
        # never uses: a near sentence would give a wrong number (路面宽度 answered with the road's length).
        if extractive.abstained and not (reason and q.intent is Intent.FIGURE and not q.english):
            extractive = self._by_meaning(q, state) or extractive
        if extractive.abstained:
            log.info("abstain (%s): %s", reason or "no answer", q.text)
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

    def _by_meaning(self, q: Question, state: dict) -> Draft | None:
        """The unit of the retrieved chunks closest in meaning to the question, when it is close enough."""
        if self.semantic is None:
            return None
        # Wider than the rules read: a paraphrase or an English question finds its chunk less surely by words.
        wide = self.retriever.search(q.norm, lexical_query=q.search_text(), k=self.settings.meaning_k,
                                     filters=self._filters(state))
        return by_meaning(self.semantic, q, {**state, "meaning_hits": wide}, ReportScope(
            own_names=self._own_names(), departments=self._departments(),
            matcher=self.matcher_in(self._filters(state))))

    def _extractive(self, q: Question, state: dict) -> Draft:
        asks = separate_asks(q.text)
        if asks:  # 预算总额是多少？资金来源是什么？ each answered as a question of its own
            drafts = [self._answer_ask(ask, state) for ask in asks]
            merged = merge(drafts)
            unanswered = [_ORDINALS[i] for i, d in enumerate(drafts) if d.abstained and i < len(_ORDINALS)]
            if unanswered and not merged.abstained:  # say plainly which question the report does not answer
                merged.add(f"（第{'、'.join(unanswered)}问：{NOT_FOUND}）")
                merged.partial = True
            return merged
        picked = context_split(state["standalone"], state["question"])
        if picked:  # 其中有几家被认定 after 组织了几家企业申报: scored on its own words, searched with the context
            draft = self._answer_part(picked[1], q, state, search=state["standalone"])
            if not draft.abstained:
                return draft  # else its own words say too little (这两笔分别贷给了谁): the whole question is asked
        compared = compared_subjects(q.text) if q.compare else []
        if compared:  # 基本支出和项目支出哪个多: each figure, then which is larger
            drafts = [self._answer_part(f"{s}是多少", q, state) for s in compared]
            return compare_drafts(drafts, compared, q.compare)
        parts = split_question(q.text) if q.intent is Intent.FIGURE else []
        if len(parts) < 2:
            matcher = self.matcher_in(self._filters(state))
            return answer_extractive(q, state["hits"], self.retriever.chunks, matcher, matcher.years)
        return merge([self._answer_part(part.ask, q, state, part.search) for part in parts])

    def _answer_ask(self, ask: Part, state: dict) -> Draft:
        """One of several questions asked at once, in the context of the question before it (资金来源是什么 after
        预算总额是多少, 由哪些单位实施 after 验收了几项); if the report has nothing on that, on its own words."""
        filters = self._filters(state)  # the departments the whole question names
        for text in dict.fromkeys([ask.search, ask.ask]):
            sub_state = {**state, "question": text, "standalone": text, "filters": filters}
            sub = self._analyse(sub_state)
            if self.out_of_scope(sub, self.matcher_in(filters)):
                continue
            sub_state["hits"] = self.retriever.search(sub.norm, lexical_query=sub.search_text(), filters=filters)
            draft = self._extractive(sub, sub_state)
            if not draft.abstained:
                return draft
        return Draft.not_found()

    def _answer_part(self, part: str, whole: Question, state: dict, search: str = "") -> Draft:
        sub = self._analyse({"standalone": part, "filters": state.get("filters")})
        wider = self._analyse({"standalone": search, "filters": state.get("filters")}) if search and search != part else sub
        if sub.unit is UnitKind.ANY:  # 基本支出里面人员…各占多少: the part asks for what the whole asks for
            sub.unit = wider.unit if wider.unit is not UnitKind.ANY else whole.unit
        sub.per_unit = sub.per_unit or whole.per_unit  # 每家奖励多少钱，标准具体是多少
        if sub.intent is Intent.SENTENCE and wider.intent is Intent.FIGURE:  # And what had been reported…?
            sub.intent = Intent.FIGURE
        filters = self._filters(state)  # 科技局…各有几个人: the whole question's departments, for all parts
        hits = self.retriever.search(wider.norm, lexical_query=wider.search_text(), filters=filters)
        matcher = self.matcher_in(filters)
        return answer_extractive(sub, hits, self.retriever.chunks, matcher, matcher.years,
                                 wider if wider is not sub else None)

    def out_of_scope(self, q: Question, matcher: Matcher | None = None) -> str:
        """Why the report cannot answer this (a year, body or item it never mentions), or ''."""
        matcher = matcher or self.matcher
        unknown_years = [y for y in q.years if y not in matcher.years]
        if unknown_years:
            return f"year {unknown_years}"
        if q.terms and all(t.isdigit() for t in q.terms) and not q.years:
            return "no subject, only digits"  # 1' OR '1'='1, {{7*7}}
        if _PERSON_NAME.search(q.norm):
            return "names of people"  # 这些特派员叫什么名字: these reports name no individuals
        quoted = [n for n in _QUOTED.findall(q.text) if _CJK.search(n) and not matcher.in_corpus(n)]
        if quoted:
            return f"unknown quoted {quoted}"  # “三公”经费花了多少 of a report that never says 三公
        missing = matcher.uncovered(q)
        strong = [t for t in missing if t.endswith(lexicon.OUT_OF_SCOPE_SUFFIXES) or self._unknown_entity(t, matcher)
                  or (t.isascii() and t.isalpha() and len(t) <= 5 and not q.english)]
        if strong:
            return f"unknown {strong}"
        covered = [t for t in q.terms if t not in missing]
        if missing and not covered:
            return f"nothing known {missing}"
        if q.english and len(q.unmapped) >= max(len(covered), 1):
            return f"mostly unknown English words {q.unmapped}"
        return ""

    def _unknown_entity(self, term: str, matcher: Matcher) -> bool:
        """教育局, 差旅费, 公司: a body or item the reports never name. 增长率 is not: 增长 is there; nor is 内部."""
        suffix = next((x for x in lexicon.ENTITY_SUFFIXES if term.endswith(x)), "")
        stem = term[: len(term) - len(suffix)]
        return bool(suffix) and len(stem) != 1 and (not stem or not matcher.in_corpus(stem))

    def _verify(self, state: dict) -> Answer:
        draft, mode = state["draft"]
        answer = draft.to_answer(state["question"], mode)
        answer.rewritten_question = state["standalone"] if state["standalone"] != state["question"] else ""
        bad = unsupported_numbers(answer.text, [c.quote for c in answer.citations])
        if bad and not answer.abstained:
            # Never reached by the extractive answerer; a last guard for any answerer.
            log.error("unsupported figures %s in answer to %r", bad, state["question"])
            return Draft.not_found().to_answer(state["question"], mode)
        scoped = self._filters(state)
        if answer.citations and not scoped and len(self._reports()) > 1:
            bodies = bodies_answering(state["parsed"], draft, self.retriever.chunks, self._reports())
            if len(bodies) > 1:  # several bodies' reports speak of it: never pick or mix one; ask which is meant
                answer = which_report(state["question"], mode, bodies, len({d for d, _ in self._reports()}))
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

    def _departments(self) -> frozenset[str]:
        """The named departments of the stored reports, cached with `_reports`."""
        reports = self._reports()
        cached = getattr(self, "_departments_cache", None)
        if cached is None or cached[0] is not reports:
            cached = (reports, frozenset(d for d, _ in reports if d))
            self._departments_cache = cached
        return cached[1]

    def _reports(self) -> set[tuple[str, int | None]]:
        """The (department, year) pairs stored, cached per loaded corpus."""
        chunks = self.retriever.chunks
        cached = getattr(self, "_reports_cache", None)
        if cached is None or cached[0] is not chunks:
            cached = (chunks, {(c.department, c.year) for c in chunks})
            self._reports_cache = cached
        return cached[1]


# Why a question is out of scope whatever its words mean; other reasons (words the report does not use) let the
# meaning of the question be asked of the report (assistant.semantic).
_HARD_REASONS = ("year", "no subject", "names of people")
# A question for the names of people (not of a unit: 下属事业单位叫什么 is answerable).
_PERSON_NAME = re.compile(r"(?:人|员|博士|专家|领导|负责人|局长|主任|书记)[^。？?]{0,8}(?:叫什么|名字|姓名|是谁)|"
                          r"(?:名字|姓名)[^，,。？?]{0,4}(?:人|员)|\bwho (?:is|are|was|were) the (?:head|director|chief|leader)")


def department_aliases(department: str) -> set[str]:
    """某市科学技术局 → itself, 某市科技局, 科学技术局, 科技局; 发展和改革局 → 发改局 (assistant.departments)."""
    return aliases(department) | {department.replace("科学技术", "科技")}


def _step(key: str, fn) -> Runnable:
    """A chain step that adds `key` to the state dict."""
    return RunnableLambda(lambda state: {**state, key: fn(state)}, name=key)

