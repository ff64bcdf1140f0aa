export enum TaskStatus {
  PENDING = 'PENDING',
  DONE = 'DONE',
}

export enum Priority {
  LOW = 'LOW',
  HIGH = 'HIGH',
}
