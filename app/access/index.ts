/**
 * app/access — who may read what (DESIGN.md security model): groups, per-dataset grants with optional location
 * restrictions, the one dataset policy, the files a reader is served (whole version or slice), and audit log queries.
 */
export { type AccessControl, accessControl, createAccessControl } from "./access.server.ts";
export { accessKeyOf, type ReadableFile, readableDatasetsOf, readableFile } from "./dataset-files.server.ts";
export { createGrants, type Grantee, type Grants, type GrantView } from "./grants.server.ts";
export { createGroups, GroupError, type GroupSummary, type Groups } from "./groups.server.ts";
export { type DatasetAccess, decideDatasetAccess, normalizeLocationPaths } from "./policy.ts";
export { grantToWorkspace, joinWorkspaceGroup, WORKSPACE_GROUP } from "./workspace-group.server.ts";
