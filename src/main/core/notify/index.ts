import { silentLogger, type Logger } from '../logging/logger'
import { redact, registerSecret } from '../logging/redact'
import { postJson, type DeliveryOptions, type DeliveryResult } from './deliver'
import type { RunNotice } from './message'
import { slackPayload } from './slack'
import { webhookPayload } from './webhook'

export { noticeText, type RunNotice } from './message'
export { slackPayload } from './slack'
export { webhookPayload } from './webhook'
export { postJson, type DeliveryOptions, type DeliveryResult } from './deliver'

export interface NotifyTargets {
  slackWebhookUrl?: string | null
  webhookUrl?: string | null
}

type Channel = 'slack' | 'webhook'

/**
 * Sends the run's notice to every configured channel concurrently and logs each outcome.
 * Never throws: a notification problem must not fail the backup it reports on.
 */
export async function sendRunNotifications(
  targets: NotifyTargets,
  notice: RunNotice,
  opts: DeliveryOptions & { logger?: Logger } = {},
): Promise<{ channel: Channel; result: DeliveryResult }[]> {
  const { logger = silentLogger, ...delivery } = opts
  const send = async (channel: Channel, label: string, url: string, build: () => unknown) => {
    registerSecret(url) // before anything can fail and log
    let result: DeliveryResult
    try {
      result = await postJson(label, url, build(), delivery)
    } catch (e) {
      result = { ok: false, attempts: 0, status: null, error: redact(`${label}: ${e instanceof Error ? e.message : String(e)}`) }
    }
    const fields = { channel, backupId: notice.backup.id, attempts: result.attempts, status: result.status }
    if (result.ok) logger.info(`${label} notification sent`, fields)
    else logger.warn(`${label} notification failed`, { ...fields, error: result.error })
    return { channel, result }
  }
  const jobs: Promise<{ channel: Channel; result: DeliveryResult }>[] = []
  if (targets.slackWebhookUrl) jobs.push(send('slack', 'Slack webhook', targets.slackWebhookUrl, () => slackPayload(notice)))
  if (targets.webhookUrl) jobs.push(send('webhook', 'Webhook', targets.webhookUrl, () => webhookPayload(notice)))
  return Promise.all(jobs)
}
