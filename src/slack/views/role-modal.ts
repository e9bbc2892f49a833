import type { ModalView, PlainTextOption } from "@slack/types";
import { z } from "zod";
import { type Incident, ROLES, type Role } from "../../domain/incident.ts";
import { INCIDENT_VIEWS } from "../ids.ts";
import { context, ROLE_LABELS, roleHolder } from "./blocks.ts";
import {
  type FormResult,
  incidentHeading,
  modalView,
  parseForm,
  selectedUser,
  selectedValue,
  selectInput,
  userInput,
} from "./forms.ts";

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
  const holders = ROLES.map((r) => `${ROLE_LABELS[r]}: ${roleHolder(incident.roles[r])}`).join(" · ");
  return modalView({
    callbackId: INCIDENT_VIEWS.role,
    title: "Assign a role",
    submit: "Assign",
    privateMetadata,
    blocks: [
      incidentHeading(incident),
      context(holders),
      selectInput(ROLE_BLOCKS.role, {
        label: "Role",
        placeholder: "Which role?",
        options: ROLES.map(roleOption),
        initialValue: role,
      }),
      userInput(ROLE_BLOCKS.user, { label: "Person", placeholder: "Who takes it?" }),
    ],
  });
}

const roleShape = {
  role: selectedValue.pipe(z.enum(ROLES, { error: "Choose a role." })),
  userId: selectedUser.pipe(z.string({ error: "Choose who takes the role." })),
};

/** Reads a role submission's `view.state.values`: the role and the person, or errors by block id. */
export function parseRoleSubmission(values: unknown): FormResult<RoleSubmission> {
  return parseForm(values, { role: ROLE_BLOCKS.role, userId: ROLE_BLOCKS.user }, roleShape);
}
