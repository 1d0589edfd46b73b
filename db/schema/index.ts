export * from "./tenancy";
export * from "./catalog";
export * from "./subscriptions";
export * from "./usage";
export * from "./billing";
export * from "./gain-share";
export * from "./operations";
