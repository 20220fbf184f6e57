/** How statuses and review states read on the pages: a label and an icon each. */
export const REVIEW_LABELS: Record<string, { label: string; icon: string }> = {
  none: { label: 'Not in review', icon: '' },
  'in-review': { label: 'In review', icon: '' },
  approved: { label: 'Approved', icon: '✓' },
  'sent-back': { label: 'Sent back', icon: '↩' },
};

export const STATUS_LABELS: Record<string, { label: string; icon: string }> = {
  pending: { label: 'Pending', icon: '○' },
  suggested: { label: 'Suggested', icon: '◐' },
  accepted: { label: 'Accepted', icon: '✓' },
  edited: { label: 'Edited', icon: '✎' },
  rejected: { label: 'Rejected', icon: '✗' },
  kept: { label: 'Kept as is', icon: '=' },
  deleted: { label: 'Deleted', icon: '⌫' },
};
