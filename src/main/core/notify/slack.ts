import { noticeFields, noticeText, noticeTitle, type RunNotice } from './message'

/** Slack's section text limit is 3000 characters; stay below it after escaping. */
const SECTION_MAX = 2900

/** Slack parses &, < and > as control sequences (links, mentions) even in mrkdwn code; these three must be escaped. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Cuts escaped text without leaving half an entity ("&am") behind. */
function clip(escaped: string, max: number): string {
  if (escaped.length <= max) return escaped
  return escaped.slice(0, max).replace(/&[a-z]*$/, '') + '…'
}

const ICONS = { success: ':white_check_mark:', failed: ':x:' } as const

/** Incoming-webhook message: `text` is the notification/fallback, blocks the rendered layout. */
export function slackPayload(n: RunNotice): { text: string; blocks: unknown[] } {
  const { title, lines } = noticeText(n)
  const status = n.backup.status
  const icon = status === 'success' || status === 'failed' ? ICONS[status] : ':warning:'
  const fields = noticeFields(n)
  const facts = fields.filter((f) => f.label !== 'Error').map((f) => `*${f.label}:* ${slackEscape(f.value)}`)
  const error = fields.find((f) => f.label === 'Error')
  const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } })
  const blocks: unknown[] = [section(`${icon} *${slackEscape(noticeTitle(n))}*`), section(clip(facts.join('\n'), SECTION_MAX))]
  // A code block keeps multi-line tool stderr readable; ``` inside it would end the block early.
  if (error) blocks.push(section(`*Error:*\n\`\`\`${clip(slackEscape(error.value.replace(/```/g, "'''")), SECTION_MAX)}\`\`\``))
  return { text: clip(slackEscape([title, ...lines].join('\n')), SECTION_MAX), blocks }
}
