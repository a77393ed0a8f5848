// Keep one open issue per topic (found by its label): open it, update it, or close it.
// Used by the portal-drift and token-expiry workflows through actions/github-script.
module.exports = async function trackingIssue({ github, context, label, title, body, open }) {
  const { owner, repo } = context.repo;
  const existing = (await github.rest.issues.listForRepo({ owner, repo, state: "open", labels: label, per_page: 10 })).data
    .filter((issue) => !issue.pull_request);
  const issue = existing[0];
  if (open) {
    if (issue) {
      await github.rest.issues.update({ owner, repo, issue_number: issue.number, title, body });
      return `updated #${issue.number}`;
    }
    const created = await github.rest.issues.create({ owner, repo, title, body, labels: [label] });
    return `opened #${created.data.number}`;
  }
  if (issue) {
    await github.rest.issues.createComment({ owner, repo, issue_number: issue.number, body });
    await github.rest.issues.update({ owner, repo, issue_number: issue.number, state: "closed" });
    return `closed #${issue.number}`;
  }
  return "nothing to do";
};
