import type { FlowContext } from "../incidents/flow-context.ts";

/** Alert flows need what incident flows need: the app's dependencies and a Web API client. */
export type AlertContext = FlowContext;
