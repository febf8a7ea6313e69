// Query.firm: the firm (its fields read the manifest, the settings and the counts).
export const firm = () => ({});
