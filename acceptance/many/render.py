"""The table as CSV (one row per repository, one column per requirement) and as one HTML page, every text escaped:
repository names, verdict lines and causes come from other teams' repositories."""

from __future__ import annotations

import csv
import html
import io
from collections import Counter
from urllib.parse import quote

from acceptance.many.table import LABELS, Column, RepositoryResult, group_titles

FIXED_HEADER = ("line", "repository", "profile", "verdict", "verdict line", "cause", "report", "seconds")
# A spreadsheet runs a cell that starts with one of these as a formula: untrusted text gets a leading quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(table_columns: list[Column], results: list[RepositoryResult]) -> str:
    """Each cell 'WORD (COUNTS)', e.g. 'failed (2 failed, 5 passed)'; a run that judged nothing has its cause and
    'not judged (the run judged nothing: see its cause)' in every cell."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*FIXED_HEADER, *(column.id for column in table_columns)])
    for result in results:
        fixed = [str(result.line), result.repository, result.profile, result.verdict, result.verdict_line, result.cause, result.report,
                 f"{result.seconds:.1f}"]
        writer.writerow([*map(spreadsheet_safe, fixed), *(cell.text for cell in result.cells(table_columns))])
    return out.getvalue()


STYLE = ("body{font-family:sans-serif;margin:2em} table{border-collapse:collapse} td,th{border:1px solid #ccc;padding:.3em .5em;"
         "vertical-align:top;text-align:left} th{background:#eee} td.cell{white-space:nowrap;font-size:.9em} td.verdict{min-width:24em}"
         " th.requirement{white-space:nowrap}"
         " small{color:#555}"
         " .passed{background:#e3f5e8}.failed{background:#fbdada;font-weight:bold}.differs{background:#e6e0f8}"
         ".not-judged{background:#fff1d6}.not-run{background:#f2f2f2;color:#777}.declined{background:#f2f2f2;color:#777}"
         " .verdict-PASSED{color:#1b7f3b}.verdict-FAILED{color:#b00020}.verdict-NOT-JUDGED,.verdict-INCOMPLETE{color:#a15c00}")


def css_class(word: str) -> str:
    """A class name from an outcome or verdict word ('not judged' -> 'not-judged'); letters and dashes only."""
    return "".join(character if character.isalnum() else "-" for character in word)


def legend() -> str:
    items = "".join(f'<li><span class="{css_class(outcome)}">{html.escape(label)}</span></li>' for outcome, label in LABELS.items())
    return (f"<p>Each cell is the worst outcome of the scenarios behind the requirement (as docs/traceability.md maps them, "
            f"beyond-seed ones included), with how many scenarios had each outcome:</p><ul>{items}</ul>")


def header_rows(table_columns: list[Column]) -> str:
    titles = group_titles()
    spans = Counter(column.group for column in table_columns)
    first = ('<tr><th rowspan="2">repository</th><th rowspan="2">profile</th><th rowspan="2">verdict</th>'
             + "".join(f'<th colspan="{spans[group]}">{html.escape(titles[group])}</th>' for group in dict.fromkeys(column.group for column in table_columns))
             + "</tr>")
    second = "".join(f'<th class="requirement" title="{html.escape(column.words)}">{html.escape(column.id)}</th>' for column in table_columns)
    return first + f"<tr>{second}</tr>"


def repository_cell(result: RepositoryResult) -> str:
    """The repository's name, linked to its own acceptance.html when the run wrote one."""
    name = html.escape(result.repository)
    line = f"<br><small>line {result.line}</small>"
    if not result.report:
        return f"<td>{name}{line}</td>"
    return f'<td><a href="{html.escape(quote(result.report, safe="/"), quote=True)}">{name}</a>{line}</td>'


def result_row(table_columns: list[Column], result: RepositoryResult) -> str:
    verdict = (f'<td class="verdict"><b class="verdict-{css_class(result.verdict)}">{html.escape(result.verdict)}</b><br>'
               f"<small>{html.escape(result.verdict_line)} ({result.seconds:.1f} s)</small></td>")
    head = f"<tr>{repository_cell(result)}<td>{html.escape(result.profile)}</td>{verdict}"
    if not result.judged:
        return head + f'<td class="not-judged" colspan="{len(table_columns)}">not judged: {html.escape(result.cause)}</td></tr>'
    cells = "".join(f'<td class="cell {css_class(cell.outcome)}">{html.escape(cell.label)}<br><small>{html.escape(cell.detail)}</small></td>'
                    for cell in result.cells(table_columns))
    return head + cells + "</tr>"


TITLE = "Todo Chatbot deployments: requirements per repository"


def to_html(table_columns: list[Column], results: list[RepositoryResult], about: str) -> str:
    """The page: what was run (about), the legend, then one row per repository."""
    rows = "\n".join(result_row(table_columns, result) for result in results)
    return "\n".join(["<!DOCTYPE html>", '<html><head><meta charset="utf-8">', f"<title>{html.escape(TITLE)}</title>",
                      f"<style>{STYLE}</style></head><body>", f"<h1>{html.escape(TITLE)}</h1>", f"<p>{html.escape(about)}</p>", legend(),
                      f"<table>{header_rows(table_columns)}", rows, "</table>", "</body></html>", ""])
