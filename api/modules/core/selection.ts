// What a request selects under a field, for a root field that prefetches what its selection will ask
// (./prefetch.ts). A superset is harmless (a field under @skip or another type's fragment just has its
// rows prefetched for nothing), so directives and type conditions are not evaluated.
import {
  type FieldNode,
  type GraphQLField,
  type GraphQLResolveInfo,
  getArgumentValues,
  getNamedType,
  isObjectType,
  Kind,
  type SelectionSetNode,
} from "graphql/index.js";

/** The fields selected directly under `nodes` (the resolving field's by default), by name, through fragments. */
export function selectedFields(
  info: GraphQLResolveInfo,
  nodes: readonly FieldNode[] = info.fieldNodes,
): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  const visit = (selectionSet: SelectionSetNode | undefined) => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        fields.set(selection.name.value, [...(fields.get(selection.name.value) ?? []), selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet);
      } else {
        visit(info.fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  for (const node of nodes) visit(node.selectionSet);
  return fields;
}

/** Whether the path of field names is selected under `nodes`, e.g. ["edges", "node", "member"]. */
export function selectsPath(info: GraphQLResolveInfo, nodes: readonly FieldNode[], path: string[]): boolean {
  let current = nodes;
  for (const name of path) {
    current = selectedFields(info, current).get(name) ?? [];
    if (current.length === 0) return false;
  }
  return true;
}

/**
 * The arguments of a field selected under the resolving field (its first selection, when aliases
 * select it more than once), as its resolver will get them; undefined when not selected.
 */
export function selectedArguments(
  info: GraphQLResolveInfo,
  name: string,
): { node: FieldNode; args: Record<string, unknown> } | undefined {
  const node = selectedFields(info).get(name)?.[0];
  const type = getNamedType(info.returnType);
  if (!node || !isObjectType(type)) return undefined;
  const field = type.getFields()[name] as GraphQLField<unknown, unknown> | undefined;
  if (!field) return undefined;
  return { node, args: getArgumentValues(field, node, info.variableValues) };
}
