// Open, update or close the one "LinkedIn credentials" issue from the token-expiry workflow's run of
// the Action (exit code and the --json report it wrote).
//
// On a public repository anyone can read the issue: it names only the checks that need attention
// (their ids and titles, which are this project's words) and links to the run. No ad-account URN,
// no account name, none of LinkedIn's error text: those stay in the run's log and job summary,
// which only people with access to the repository's Actions see.
const track = require("./tracking-issue.js");

const LABEL = "linkedin-credentials";
const SAFE = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,60}$/;

function attention(report) {
  return (report.checks || [])
    .filter((c) => (c.status === "fail" || c.status === "warn") && SAFE.test(c.id || "") && SAFE.test(c.title || ""))
    .map((c) => ({ id: c.id, title: c.title, status: c.status }));
}

function days(report) {
  const n = report.refresh_token_days_left;
  return Number.isInteger(n) ? n : null;
}

module.exports = async function credentialsIssue({ github, context, code, report }) {
  const run = `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${context.runId}`;
  report = report && typeof report === "object" && !Array.isArray(report) ? report : {};
  if (code === 3 || code === 2) {
    return `exit ${code}: ${code === 3 ? "temporary problem, trying again on the next run" : "usage error (see the run)"}`;
  }
  if (code === 0) {
    const left = days(report);
    const body = `All checks pass again: ${run}` + (left === null ? "" : ` (refresh token: ${left} days left).`);
    return track({ github, context, label: LABEL, open: false, title: "", body });
  }
  const checks = attention(report);
  const expiring = checks.some((c) => c.id === "refresh-token-expiry" && c.status === "warn");
  const left = days(report);
  let title = "LinkedIn credentials need fixing";
  if (code === 4) {
    title = expiring ? `LinkedIn refresh token expires in ${left === null ? "a few" : left} days` : "A LinkedIn check warns: act soon";
  }
  const body = [
    code === 4 ? "The credentials work, but something expires soon." : "The LinkedIn credentials check found a problem a person must fix.",
    "",
    "Checks that need attention:",
    ...(checks.length ? checks.map((c) => `- ${c.status === "fail" ? "✗" : "!"} ${c.title} (\`${c.id}\`)`) : ["- (see the run)"]),
    "",
    `What LinkedIn said, the fix for each check and the ad accounts are in the run's job summary: ${run}`,
    "",
    "After fixing, update the repository secrets (`gh secret set LINKEDIN_REFRESH_TOKEN` asks for the value).",
  ].join("\n");
  return track({ github, context, label: LABEL, open: true, title, body });
};
