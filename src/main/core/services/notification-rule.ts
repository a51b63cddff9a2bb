import type { Backup } from '../../../shared/backup-model'
import type { NotificationRules } from '../../../shared/job-model'

/**
 * Whether a finished backup shows a desktop notification: a job's backups follow the job's rules,
 * other backups the app setting. Failures always notify unless the job turned desktop notices off.
 */
export function wantsDesktopNotification(b: Backup, jobRules: NotificationRules | undefined, notifyOnSuccess: boolean): boolean {
  const failed = b.status === 'failed' || b.status === 'interrupted'
  if (jobRules) return jobRules.desktop && (failed || (b.status === 'success' && jobRules.onSuccess))
  return failed || (b.status === 'success' && notifyOnSuccess)
}
