"""Renders eval scores as a markdown table (side by side) and as JSON, and lists every failure."""

from __future__ import annotations

from dataclasses import asdict

from evals.runner import ItemResult, Scores, by_category, score

COLUMNS = [("answer_accuracy", "answer acc", "{:.1%}"), ("grounded_accuracy", "grounded", "{:.1%}"),
           ("citation_accuracy", "citation acc", "{:.1%}"),
           ("abstention_precision", "abst. P", "{:.1%}"), ("abstention_recall", "abst. R", "{:.1%}"),
           ("unsupported_numbers", "unsupported #", "{}"), ("hit1", "hit@1", "{:.2f}"), ("hit3", "hit@3", "{:.2f}"),
           ("hit5", "hit@5", "{:.2f}"), ("mrr", "MRR", "{:.2f}"), ("p50_ms", "p50 ms", "{:.0f}"),
           ("p95_ms", "p95 ms", "{:.0f}")]


def markdown(runs: dict[str, list[ItemResult]]) -> str:
    lines = ["| category | pipeline | n | " + " | ".join(c[1] for c in COLUMNS) + " |",
             "|---|---|---|" + "---|" * len(COLUMNS)]
    cats = sorted({r.item.category for rs in runs.values() for r in rs})
    for cat in [*cats, "**overall**"]:
        for name, results in runs.items():
            s = score(results) if cat == "**overall**" else by_category(results).get(cat, Scores())
            cells = [fmt.format(getattr(s, key)) for key, _, fmt in COLUMNS]
            lines.append(f"| {cat} | {name} | {s.n} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# The overall figures of LLM mode beside the default mode's, and how often the LLM's own answer was shown.
LLM_COLUMNS = [c for c in COLUMNS if c[0] in ("answer_accuracy", "grounded_accuracy", "abstention_precision",
                                              "abstention_recall", "unsupported_numbers", "p50_ms", "p95_ms")]


def llm_markdown(runs: dict[str, list[ItemResult]]) -> str:
    """One overall row per pipeline, with the LLM's answers kept (verified) and fallen back (extractive shown)."""
    lines = ["| pipeline | n | " + " | ".join(c[1] for c in LLM_COLUMNS) + " | LLM kept | fell back |",
             "|---|---|" + "---|" * (len(LLM_COLUMNS) + 2)]
    for name, results in runs.items():
        s = score(results)
        cells = [fmt.format(getattr(s, key)) for key, _, fmt in LLM_COLUMNS]
        kept, fell = (f"{k} ({k / s.n:.0%})" if s.n else "0" for k in (s.llm_kept, s.llm_fallback))
        lines.append(f"| {name} | {s.n} | " + " | ".join(cells) + f" | {kept} | {fell} |")
    return "\n".join(lines)


def failures(results: list[ItemResult], limit: int | None = None, title: str = "") -> str:
    bad = [r for r in results if not r.correct or (r.item.answerable and not r.cited) or r.unsupported]
    out = [f"### Failures{f' ({title})' if title else ''}: {len(bad)} of {len(results)}"]
    for r in bad[:limit]:
        why = []
        if not r.correct:
            why.append("wrong answer" if r.item.answerable else "should abstain")
        if r.item.answerable and not r.cited:
            why.append("evidence not cited")
        if r.unsupported:
            why.append(f"unsupported numbers {r.unsupported}")
        out.append(f"- **{r.item.id}** ({', '.join(why)}) Q: {r.item.question}")
        out.append(f"  - expected: {r.item.facts or 'abstain'} / evidence: {r.item.evidence}")
        out.append(f"  - answer ({r.answer.mode.value}): {r.answer.text.replace(chr(10), ' ')}")
        if r.answer.notice:
            out.append(f"  - notice: {r.answer.notice}")
        for c in r.answer.citations:
            out.append(f"  - [{c.n}] {c.section}: {c.quote[:80]}")
    return "\n".join(out)


def as_json(runs: dict[str, list[ItemResult]]) -> dict:
    return {name: {"overall": asdict(score(rs)),
                   "categories": {c: asdict(s) for c, s in by_category(rs).items()},
                   "items": [{"id": r.item.id, "correct": r.correct, "cited": r.cited, "rank": r.rank,
                              "unsupported": r.unsupported, "ms": round(r.seconds * 1000, 1),
                              "answer": r.answer.to_json_dict()} for r in rs]}
            for name, rs in runs.items()}
