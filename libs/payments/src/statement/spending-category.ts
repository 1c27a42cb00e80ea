// Spending categories for the dashboard, from the entry kind and the words in its description (pure).
export const SPENDING_CATEGORIES = ['Alimentação', 'Mercado', 'Transporte', 'Moradia', 'Saúde', 'Lazer', 'Educação', 'Transferências'] as const;
export type SpendingCategory = (typeof SPENDING_CATEGORIES)[number];

const RULES: [SpendingCategory, RegExp][] = [
  ['Mercado', /\b(mercado|supermercado|feira|hortifruti|atacad[aã]o|padaria)\b/],
  ['Alimentação', /\b(restaurante|lanche|almo[cç]o|jantar|ifood|pizza|caf[eé]|bar|comida|hamburguer)\b/],
  ['Transporte', /\b(uber|99|t[aá]xi|[oô]nibus|metr[oô]|combust[ií]vel|gasolina|estacionamento|ped[aá]gio)\b/],
  ['Moradia', /\b(aluguel|condom[ií]nio|luz|energia|[aá]gua|g[aá]s|internet|iptu)\b/],
  ['Saúde', /\b(farm[aá]cia|rem[eé]dio|m[eé]dico|consulta|dentista|academia|plano de sa[uú]de)\b/],
  ['Lazer', /\b(cinema|show|ingresso|viagem|hotel|passeio|streaming|jogo)\b/],
  ['Educação', /\b(escola|faculdade|curso|livro|mensalidade|material escolar)\b/],
];

/** Category of a debit. Anything not recognised is a plain transfer. */
export function spendingCategory(description: string): SpendingCategory {
  const text = description.toLocaleLowerCase('pt-BR');
  for (const [category, re] of RULES) if (re.test(text)) return category;
  return 'Transferências';
}
