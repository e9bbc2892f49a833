import type { ModalView } from "@slack/types";

/** A read-only modal for a surface whose feature is not built yet. */
export function comingSoonModal(message: string): ModalView {
  return {
    type: "modal",
    title: { type: "plain_text", text: "Firebreak" },
    close: { type: "plain_text", text: "Close" },
    blocks: [{ type: "section", text: { type: "mrkdwn", text: message } }],
  };
}
