"""Renders the bench results as one markdown table: measure, figure, issue 6's target, and whether it is met."""

from __future__ import annotations

WARM_P50_MS, WARM_P95_MS = 40, 100
SCALE_P50_MS = 120
INGEST_1000_MIN, EMBED_SHARE = 45, 0.90
SERVE_RSS_MB = 1024
SCALE_TARGET_REPORTS = 1000


def markdown(results: dict) -> str:
    rows = [*_ingest(results), *_chunking(results), *_startup(results), *_warm(results), *_server_mode(results), *_serve(results),
            *_scale(results)]
    lines = ["| measure | figure | target | met |", "|---|---|---|---|"]
    lines += [f"| {m} | {f} | {t} | {ok} |" for m, f, t, ok in rows]
    return "\n".join(lines)


def _met(ok: bool | None) -> str:
    return "" if ok is None else ("yes" if ok else "**no**")


def _ingest(r: dict) -> list[tuple]:
    i = r.get("ingest")
    if not i:
        return []
    return [("ingest, bundled report (fresh store)",
             f"{i['chunks']} chunks in {i['ingest_s']} s ({i['chunks_per_s']} chunks/s, "
             f"embedder {i['embed_share']:.0%} of the time, {i['mean_chunk_chars']} chars/chunk)", "", "")]


def _chunking(r: dict) -> list[tuple]:
    from evals.bench.chunking import CHUNKING_MEMORY_RATIO, CHUNKING_S

    rows = []
    for row in r.get("chunking", []):
        if "error" in row:
            rows.append((f"chunking {row['megabytes']:g} MB of text", row["error"], "", "**no**"))
            continue
        big = row["megabytes"] >= 16
        rows.append((f"chunking {row['megabytes']:g} MB of text (fresh process)",
                     f"{row['chunks']} chunks in {row['seconds']} s ({row['chars_per_s']} chars/s); peak "
                     f"+{row['peak_mb_over_start']} MB = {row['memory_ratio']}× the text",
                     f"16 MB < {CHUNKING_S} s, memory ≤ {CHUNKING_MEMORY_RATIO}×" if big else "",
                     _met(row["seconds"] < CHUNKING_S and row["memory_ratio"] <= CHUNKING_MEMORY_RATIO)
                     if big else ""))
    return rows


def _startup(r: dict) -> list[tuple]:
    rows = []
    if p := r.get("probe"):
        rows.append(("import of the default path (`assistant.core`)",
                     f"{p['import_s']} s; RSS {p['rss_after_import_mb']} MB after import, "
                     f"{p['rss_after_ask_mb']} MB after one ask", "", ""))
        rows.append(("first ask in a fresh process, split",
                     f"open store {p['open_store_s']} s, load index {p['load_index_s']} s, "
                     f"load model {p['load_model_s']} s, ask {p['first_ask_s']} s", "", ""))
        rows.append(("torch / sentence-transformers imported by a default ask",
                     f"{p['torch_loaded']} / {p['sentence_transformers_loaded']}", "False / False",
                     _met(not p["torch_loaded"] and not p["sentence_transformers_loaded"])))
    if c := r.get("cli"):
        rows.append(("cold start to first answer, `report-qa ask`",
                     f"{c['median_s']} s median of {c['runs']} (min {c['min_s']} s); `--help` {c['help_s']} s", "", ""))
    return rows


def _warm(r: dict) -> list[tuple]:
    w = r.get("warm")
    if not w:
        return []
    qa = w["report-qa"]
    rows = [("warm `ask`, bundled report (eval questions)",
             f"p50 {qa['p50_ms']} ms, p95 {qa['p95_ms']} ms (n={qa['n']})", f"p50 ≤ {WARM_P50_MS} ms, p95 ≤ {WARM_P95_MS} ms",
             _met(qa["p50_ms"] <= WARM_P50_MS and qa["p95_ms"] <= WARM_P95_MS))]
    split = ", ".join(f"{k} {v['mean_ms']:.1f} ms ({v['share']:.0%})" for k, v in qa["steps"].items())
    rows.append(("warm `ask` split (mean)", split, "", ""))
    if naive := w.get("naive"):
        rows.append(("naive tutorial baseline (MiniLM, top chunk), later in the same run",
                     f"p50 {naive['p50_ms']} ms; report-qa/naive p50 = {qa['p50_ms'] / naive['p50_ms']:.2f}×", "", ""))
    if acc := r.get("accuracy"):
        rows.append(("answer accuracy, report-qa vs naive",
                     " vs ".join(f"{a['answer_accuracy']:.1%}" for a in acc.values()), "", ""))
    return rows


def _server_mode(r: dict) -> list[tuple]:
    s = r.get("server_mode")
    if not s:
        return []
    e, h = s["warm"]["embedded"], s["warm"]["server"]
    retrieval = [x["steps"].get("retrieval", {}).get("mean_ms", 0.0) for x in (e, h)]
    return [("Chroma server mode vs embedded (interleaved, same run)",
             f"p50 {h['p50_ms']} vs {e['p50_ms']} ms ({s['ratio_p50']:.2f}×), retrieval step {retrieval[1]:.1f} vs "
             f"{retrieval[0]:.1f} ms; same answers {s['same_answers']}", "", "")]


def _serve(r: dict) -> list[tuple]:
    s = r.get("serve")
    return _serve_rows(s) if s else []


def _serve_rows(s: dict, prefix: str = "") -> list[tuple]:
    rows = [(f"{prefix}`serve` cold start to first /ask answer", f"{s['cold_start_s']} s", "", ""),
            (f"{prefix}`serve` RSS: idle / after load / peak",
             f"{s['rss_idle_mb']} / {s['rss_after_mb']} / {s['peak_rss_mb']} MB", f"≤ {SERVE_RSS_MB} MB",
             _met(s["peak_rss_mb"] <= SERVE_RSS_MB))]
    for load in s["load"]:
        n = load["clients"]
        rows.append((f"{prefix}{n} concurrent HTTP client(s), `serve` {' '.join(s['args']) or 'defaults'}",
                     f"{load['requests_per_s']} req/s, p50 {load['p50_ms']} ms, p95 {load['p95_ms']} ms, "
                     f"{load['errors']} errors of {load['requests']}",
                     "0 errors" if n == 50 else "", _met(load["errors"] == 0) if n == 50 else ""))
    if o := s.get("oversized_histories"):
        rows.append((f"{prefix}{o['oversized_requests']} oversized /ask histories at once, then a normal question",
                     f"{o['refused_by_cap']} refused by the cap; the normal question answered in {o['normal_ms']} ms",
                     "all refused; < 5 s", _met(o["refused_by_cap"] == o["oversized_requests"]
                                               and o["normal_answered"] and o["normal_ms"] < 5000)))
    return rows


def _scale(r: dict) -> list[tuple]:
    rows = []
    for row in r.get("scale") or []:
        n, i, lat, acc = row["reports"], row["ingest"], row["latency"], row["accuracy"]
        rows.append((f"{n} report(s): ingest", f"{i['chunks']} chunks in {i['ingest_s']} s, {i['chunks_per_s']} "
                     f"chunks/s, embedder {i['embed_share']:.0%}, BM25 finds every chunk after {i.get('lexical_s')} s, "
                     f"store {i['store_mb']} MB", f"embedder ≥ {EMBED_SHARE:.0%}", _met(i["embed_share"] >= EMBED_SHARE)))
        projected = SCALE_TARGET_REPORTS * i["chunks"] / max(n, 1) / max(i["chunks_per_s"], 1e-9) / 60
        target_met = projected <= INGEST_1000_MIN if n == SCALE_TARGET_REPORTS or n > 1 else None
        rows.append((f"{n} report(s): 1,000-report ingest projected from this rate", f"{projected:.0f} min",
                     f"≤ {INGEST_1000_MIN} min", _met(target_met)))
        u, f = lat["unfiltered"], lat["filtered"]
        rows.append((f"{n} report(s): warm `ask` unfiltered / department+year filter",
                     f"p50 {u['p50_ms']} / {f['p50_ms']} ms, p95 {u['p95_ms']} / {f['p95_ms']} ms",
                     f"p50 ≤ {SCALE_P50_MS} ms at 1,000" if n == SCALE_TARGET_REPORTS else "",
                     _met(u["p50_ms"] <= SCALE_P50_MS) if n == SCALE_TARGET_REPORTS else ""))
        if s := row.get("serve"):
            rows += _serve_rows(s, f"{n} reports: ")
        if r := row.get("reload"):
            rows.append((f"{n} reports: another process ingests a report", _reload_figure(r), "", ""))
        drops = sum(1 for c in row["changed_vs_alone"].get("scoped", []) if not c["now_correct"])
        rows.append((f"{n} report(s): answer accuracy scoped / unscoped",
                     f"{acc['scoped']['answer_accuracy']:.1%} / {acc['unscoped']['answer_accuracy']:.1%}; scoped: "
                     f"{drops} question(s) wrong that the report alone answers right, "
                     f"{row['same_scoped_answers']} answers identical to the report alone's",
                     "no drop (scoped)", _met(drops == 0)))
    return rows


def _reload_figure(r: dict) -> str:
    if r.get("first_answered_new"):
        return f"the question that notices waits for the reload and answers from the new report in " \
               f"{r['first_question_ms']} ms"
    return (f"the question that notices answers in {r['first_question_ms']} ms"
            f"{' (with a loading notice)' if r['said_loading'] else ''}; questions meanwhile p50 "
            f"{r['meanwhile'].get('p50_ms', 0.0)} ms; the new report is answered after {r['new_report_answered_s']} s")
