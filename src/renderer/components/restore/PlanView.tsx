import type { RestorePlan } from '../../../shared/restore-model'
import { formatBytes } from '../../lib/labels'
import { TagBadge } from '../TagBadge'

/** The dry run: the steps, the exact commands (secrets masked), the size, the warnings. */
export function PlanView({ plan }: { plan: RestorePlan }) {
  return (
    <section className="restore-plan" aria-labelledby="restore-plan-title" data-testid="restore-plan">
      <h3 id="restore-plan-title">
        Plan: into <span className="mono">{plan.target.database}</span> on {plan.target.profileName} <TagBadge tag={plan.target.tag} />
      </h3>
      <p className="muted">
        {plan.target.exists ? 'The target database exists.' : 'The target database does not exist yet.'} Estimated size:{' '}
        <span data-testid="restore-estimate">{formatBytes(plan.estimatedBytes)}</span>.
      </p>
      {plan.warnings.length > 0 && (
        <ul className="restore-warnings" data-testid="restore-warnings">
          {plan.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <ol className="restore-steps" data-testid="restore-steps">
        {plan.steps.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ol>
      <div className="restore-commands-list" data-testid="restore-plan-commands">
        {plan.commands.map((c) => (
          <code key={c} className="mono">
            {c}
          </code>
        ))}
      </div>
    </section>
  )
}
