/**
 * Read models: what the JSON API and the pages show of the domain, computed here and nowhere else
 * (routes load and call; templates only lay out). Each idea in its own module under presenters/:
 *
 * - `can.ts`        what a viewer may do (`can.accept`, `can.approve` …), from the policy and the state machines
 * - `paragraph.ts`  a paragraph in JSON, and its row on the editor page (diffs marked, MT flags cut)
 * - `article.ts`    an article in JSON, the article list, the editor page around its rows
 * - `history.ts`    a paragraph's revisions, and the conflict page
 * - `compare.ts`, `timeline.ts`  the reviewers' views of a whole article
 * - `stats.ts`, `run.ts`, `users.ts`  the stats page, batch runs, accounts
 */
export * from './presenters/labels.js';
export * from './presenters/can.js';
export * from './presenters/suggestion.js';
export * from './presenters/paragraph.js';
export * from './presenters/article.js';
export * from './presenters/history.js';
export * from './presenters/compare.js';
export * from './presenters/timeline.js';
export * from './presenters/stats.js';
export * from './presenters/run.js';
export * from './presenters/users.js';
