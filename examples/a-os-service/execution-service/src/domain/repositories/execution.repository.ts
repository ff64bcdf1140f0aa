export interface Execution {
  id: string;
  orderId: string;
  status: string;
}

export interface IExecutionRepository {
  save(execution: Execution): Promise<Execution>;
  findById(id: string): Promise<Execution | null>;
}
