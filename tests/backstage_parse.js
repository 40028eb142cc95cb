// Runs the Backstage ADR plugin's own parser (@backstage/plugin-adr-common) on records:
// reads [{path, text}] as JSON on stdin, prints what the plugin makes of each one.
// Usage: node tests/backstage_parse.js PACKAGE_DIR < records.json
"use strict";
const adr = require(process.argv[2]);
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const out = JSON.parse(input).map(({ path, text }) => {
    const parsed = adr.parseMadrWithFrontmatter(text);
    const heading = parsed.content.split("\n").find((line) => line.startsWith("# "));
    return {
      path,
      listed: adr.madrFilePathFilter(path),
      status: parsed.status ?? null,
      date: parsed.date ?? null,
      title: heading ? heading.slice(2).trim() : null,
      attributes: Object.keys(parsed.attributes).sort(),
      content_starts: parsed.content.trimStart().slice(0, 2),
    };
  });
  process.stdout.write(JSON.stringify(out));
});
