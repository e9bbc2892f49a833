/** auth.test, users.* and usergroups.* methods. */
import type { UserGroup } from "../state.ts";
import { fail, flag, type Handler, str } from "./common.ts";

function groupView(group: UserGroup, includeUsers: boolean, includeCount: boolean) {
  const { users, ...rest } = group;
  return {
    ...rest,
    ...(includeUsers ? { users } : {}),
    ...(includeCount ? { user_count: users.length } : {}),
  };
}

export const userMethods: Record<string, Handler> = {
  "auth.test": (ctx) => {
    const { workspace, bot } = ctx.world.state;
    return {
      url: `https://${workspace.domain}.slack.com/`,
      team: workspace.name,
      user: bot.name,
      team_id: workspace.id,
      user_id: bot.user_id,
      bot_id: bot.bot_id,
      is_enterprise_install: false,
    };
  },

  "users.info": (ctx, args) => ({ user: ctx.world.state.users[str(args, "user")] ?? fail("user_not_found") }),

  // Email addresses are case-insensitive.
  "users.lookupByEmail": (ctx, args) => {
    const email = str(args, "email").toLowerCase();
    const user = Object.values(ctx.world.state.users).find(
      (u) => email && u.profile.email?.toLowerCase() === email,
    );
    return { user: user ?? fail("users_not_found") };
  },

  // Slack leaves out members and counts unless asked, and disabled groups unless include_disabled.
  "usergroups.list": (ctx, args) => {
    const includeDisabled = flag(args, "include_disabled");
    const groups = Object.values(ctx.world.state.userGroups).filter(
      (g) => includeDisabled || g.date_delete === 0,
    );
    return {
      usergroups: groups.map((g) => groupView(g, flag(args, "include_users"), flag(args, "include_count"))),
    };
  },

  "usergroups.users.list": (ctx, args) => {
    const group = ctx.world.state.userGroups[str(args, "usergroup")] ?? fail("no_such_subteam");
    return { users: group.users };
  },
};
