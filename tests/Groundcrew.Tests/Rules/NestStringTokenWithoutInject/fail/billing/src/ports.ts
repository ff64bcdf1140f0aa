export interface IBudgetRepository {
  save(budget: { id: string; total: number }): Promise<void>;
}

export type IEventPublisher = {
  publish(type: string, detail: object): Promise<void>;
};

export interface BudgetProps {
  total: number;
}
