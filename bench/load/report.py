"""bench/LOAD.md: the hand-written notes kept, the sections between markers rewritten by
`make loadtest` (load) and `make fuzz` (fuzz)."""

from pathlib import Path

LOAD_MD = Path(__file__).resolve().parent.parent / "LOAD.md"
ORDER = ["landing", "search: words", "search: filters", "search: near a place",
         "list: a deep page", "trial page", "export: csv", "export: json",
         "admin: trial form", "admin: save a trial", "overall"]  # fmt: skip


def replace_section(name, body, path=LOAD_MD):
    begin, end = f"<!-- {name}:begin (generated) -->", f"<!-- {name}:end -->"
    text = path.read_text() if path.exists() else ""
    if begin in text:
        before, rest = text.split(begin, 1)
        after = rest.split(end, 1)[1]
    else:
        before, after = text.rstrip() + "\n\n", "\n"
    path.write_text(f"{before}{begin}\n{body.strip()}\n{end}{after}")


def write_markdown(result, path=LOAD_MD):
    settings, database, found = result["settings"], result["database"], result["groups"]
    machine = result["machine"]
    lines = [
        f"Measured {result['date']} at revision `{result['revision']}`: "
        f"{settings['visitors']} visitors and {settings['curators']} curator for "
        f"{settings['seconds']} s against gunicorn ({settings['gunicorn_workers']} workers, "
        f"debug off, collected static, {settings['cache']} cache) on PostgreSQL "
        f"{machine['postgresql']}, with {database['trials']:,} trials "
        f"({database['synthetic']:,} synthetic) and {database['sites']:,} sites.",
        "",
        "| requests of | count | failed | p50 ms | p95 ms | p99 ms | max ms | per second |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in sorted(found, key=lambda n: ORDER.index(n) if n in ORDER else len(ORDER) - 1):
        group = found[name]
        label = f"**{name}**" if name == "overall" else name
        lines.append(
            f"| {label} | {group['requests']:,} | {group['failures']} | {group['p50']} | "
            f"{group['p95']} | {group['p99']} | {group['max']} | {group['rps']} |"
        )
    lines += [
        "",
        f"Server tracebacks in the log: {result['server_tracebacks']}. Database: "
        f"{'reused' if result['load'].get('reused') else 'filled for this run'}; bundled "
        f"records: {result['load'].get('bundled')}.",
        f"Machine: {machine['cores']} cores, {machine['memory_gb']} GB, {machine['os']}, "
        f"Python {machine['python']}, Django {machine['django']}. Locust, gunicorn, PostgreSQL "
        "and Redis share those cores (see the notes above).",
    ]
    replace_section("load", "\n".join(lines), path)
