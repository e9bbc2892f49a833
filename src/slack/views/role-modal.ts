import type { ModalView, PlainTextOption } from "@slack/types";
import { z } from "zod";
import { type Incident, incidentKey, ROLES, type Role } from "../../domain/incident.ts";
import { INCIDENT_VIEWS } from "../incidents/ids.ts";
import { type FormResult, parseForm, selectedUser, selectedValue } from "./declare-modal.ts";
import { context, ROLE_LABELS, roleHolder, section, titleMrkdwn } from "./kickoff.ts";

/** "Assign role": a role (commander, comms lead, scribe) and the person who takes it. */

export const ROLE_BLOCKS = {
  role: "role_role",
  user: "role_user",
} as const;

export interface RoleSubmission {
  role: Role;
  userId: string;
}

const ROLE_HINTS: Readonly<Record<Role, string>> = {
  commander: "Leads the response and makes the calls",
  comms: "Keeps stakeholders and the status page informed",
  scribe: "Keeps the timeline and notes",
};

function roleOption(role: Role): PlainTextOption {
  return {
    text: { type: "plain_text", text: ROLE_LABELS[role] },
    value: role,
    description: { type: "plain_text", text: ROLE_HINTS[role] },
  };
}

/** The modal for the "Assign role" button, listing who holds each role now; `role` preselects one. */
export function roleModal(incident: Incident, privateMetadata: string, role?: Role): ModalView {
  const options = ROLES.map(roleOption);
  const initial = options.find((option) => option.value === role);
  const holders = ROLES.map((r) => `${ROLE_LABELS[r]}: ${roleHolder(incident.roles[r])}`).join(" · ");
  return {
    type: "modal",
    callback_id: INCIDENT_VIEWS.role,
    title: { type: "plain_text", text: "Assign a role" },
    submit: { type: "plain_text", text: "Assign" },
    close: { type: "plain_text", text: "Cancel" },
    private_metadata: privateMetadata,
    blocks: [
      section(`*${incidentKey(incident.number)}* ${titleMrkdwn(incident.title)}`),
      context(holders),
      {
        type: "input",
        block_id: ROLE_BLOCKS.role,
        label: { type: "plain_text", text: "Role" },
        element: {
          type: "static_select",
          action_id: ROLE_BLOCKS.role,
          placeholder: { type: "plain_text", text: "Which role?" },
          options,
          ...(initial ? { initial_option: initial } : {}),
        },
      },
      {
        type: "input",
        block_id: ROLE_BLOCKS.user,
        label: { type: "plain_text", text: "Person" },
        element: {
          type: "users_select",
          action_id: ROLE_BLOCKS.user,
          placeholder: { type: "plain_text", text: "Who takes it?" },
        },
      },
    ],
  };
}

const roleShape = {
  role: selectedValue.pipe(z.enum(ROLES, { error: "Choose a role." })),
  userId: selectedUser.pipe(z.string({ error: "Choose who takes the role." })),
};

/** Reads a role submission's `view.state.values`: the role and the person, or errors by block id. */
export function parseRoleSubmission(values: unknown): FormResult<RoleSubmission> {
  return parseForm(values, { role: ROLE_BLOCKS.role, userId: ROLE_BLOCKS.user }, roleShape);
}
