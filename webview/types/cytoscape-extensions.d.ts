// Types for the optional layout extensions (they ship none). Used once `cytoscape-fcose` and
// `cytoscape-dagre` are installed and enabled in webview/graph/layouts.ts.
declare module 'cytoscape-fcose' {
    const ext: cytoscape.Ext;
    export default ext;
}
declare module 'cytoscape-dagre' {
    const ext: cytoscape.Ext;
    export default ext;
}
