// Act on the outcome of `python -m checks.screens drift` (see "Drift outcomes" on the maintainers' page):
//   changed   (exit 1): open or update the "portal changed" issue with the report;
//   blocked   (exit 3): open or update a separate "drift check could not run" issue naming the cause,
//                      without claiming the guide is stale;
//   unchanged (exit 0): close both.
const track = require("./tracking-issue.js");

const CHANGED = { label: "portal-drift", title: "The guide no longer matches LinkedIn's Developer Portal" };
const BLOCKED = { label: "portal-drift-blocked", title: "The portal drift check could not run" };

function fenced(report) {
  return ["```text", (report || "(no report)").trim(), "```"].join("\n");
}

module.exports = async function driftIssues({ github, context, outcome, report }) {
  const run = `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${context.runId}`;
  const done = [];
  if (outcome === "changed") {
    const body = [
      "The LinkedIn Developer Portal no longer matches the guide.", "", fenced(report), "",
      `Run: ${run} (captures, if any, are attached as the \`portal-captures\` artifact).`, "",
      "Update the guide, `checks/screens/steps.yaml` and the portal model together; see",
      "\"When LinkedIn changes the portal\" on the maintainers' page.",
    ].join("\n");
    done.push(await track({ github, context, ...CHANGED, open: true, body }));
  } else if (outcome === "blocked") {
    const causes = (report || "").split("\n").filter((line) => line.startsWith("could not check:"));
    const cause = causes.length ? causes[0].replace(/^could not check:\s*/, "") : "see the report below";
    const body = [
      `The drift check could not look at the portal: ${cause}`, "",
      "This says nothing about the guide being stale: no step was found changed.", "",
      fenced(report), "", `Run: ${run}`, "",
      "See \"Drift outcomes\" on the maintainers' page for the fix to each cause.",
    ].join("\n");
    const short = cause.split(/[.:]/)[0].slice(0, 80);
    done.push(await track({ github, context, ...BLOCKED, title: `${BLOCKED.title}: ${short}`, open: true, body }));
  } else if (outcome === "unchanged") {
    const body = `The drift check passed: every documented element was found (${run}).`;
    done.push(await track({ github, context, ...CHANGED, open: false, body }));
    done.push(await track({ github, context, ...BLOCKED, open: false, body }));
  } else {
    throw new Error(`unknown drift outcome: ${outcome}`);
  }
  return done.join("; ");
};
