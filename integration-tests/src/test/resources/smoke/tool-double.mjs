// Stand-in for a command-line tool the smoke drives (terraform, docker) when it runs against the
// test doubles: the call (tool, arguments, working directory, stdin when a password comes on it)
// goes to the double at $TRIAD_TOOL_DOUBLE, which does what the tool would do to the doubled cloud;
// its output is printed and its exit code returned.
// usage: node tool-double.mjs TOOL [ARGUMENT...]
const [tool, ...args] = process.argv.slice(2);
const url = process.env.TRIAD_TOOL_DOUBLE;
if (!url) {
  console.error(`${tool}: TRIAD_TOOL_DOUBLE names no double`);
  process.exit(127);
}
let stdin = '';
if (args.includes('--password-stdin')) {
  for await (const chunk of process.stdin) stdin += chunk;
}
const response = await fetch(url, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ tool, args, cwd: process.cwd(), stdin }),
});
const answer = await response.json();
process.stdout.write(answer.output);
process.exit(answer.exit);
