/** Copy-and-paste starters for querying a served index from a script. */
export interface SnippetTarget {
  url: string;
  index: string;
  dim: number;
  k: number;
  token: boolean;
}

function base(url: string): string {
  return url.replace(/\/+$/, '');
}

export function pythonSnippet(t: SnippetTarget): string {
  const headers = t.token ? ', headers={"Authorization": "Bearer " + TOKEN}' : '';
  return [
    'import requests',
    ...(t.token ? ['TOKEN = "..."  # the --token given to the server, or the token= in the address it printed'] : []),
    `query = [0.0] * ${t.dim}  # your ${t.dim}-dimensional vector`,
    `r = requests.post("${base(t.url)}/v1/indexes/${t.index}/search", json={"vectors": [query], "k": ${t.k}}${headers})`,
    'r.raise_for_status()',
    'print(r.json()["labels"][0], r.json()["distances"][0])',
  ].join('\n');
}

export function curlSnippet(t: SnippetTarget): string {
  const vector = `[${new Array(t.dim).fill(0).join(',')}]`;
  const auth = t.token ? ` -H "Authorization: Bearer $TOKEN"` : '';
  return `curl -s -X POST${auth} -H "Content-Type: application/json" -d '{"vectors": [${vector}], "k": ${t.k}}' ${base(t.url)}/v1/indexes/${t.index}/search`;
}
