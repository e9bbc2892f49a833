import type { AppContext } from "../context.ts";
import type { OnCallLevel } from "../domain/report.ts";

/**
 * Who the escalation policy pages at each level at `at`: people, groups, and schedules nobody covers. The
 * daily report and the App Home show it.
 */
export async function onCallLevels(
  ctx: Pick<AppContext, "config" | "onCall">,
  at: Date,
): Promise<OnCallLevel[]> {
  return Promise.all(
    ctx.config.alerts.escalationPolicy.levels.map(async (level, index) => {
      const entries: OnCallLevel["entries"] = [];
      const uncovered: string[] = [];
      for (const target of level.targets) {
        if (target.kind === "user") entries.push({ kind: "user", userId: target.userId });
        else if (target.kind === "usergroup") entries.push({ kind: "usergroup", groupId: target.groupId });
        else {
          const userId = await ctx.onCall(target.scheduleName, at);
          if (userId) entries.push({ kind: "user", userId, schedule: target.scheduleName });
          else uncovered.push(target.scheduleName);
        }
      }
      return { level: index + 1, entries, uncovered };
    }),
  );
}
