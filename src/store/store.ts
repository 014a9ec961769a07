import { ChatRepository } from './chats.js';
import { dialectOf, migrate, openDb, type Db } from './db.js';
import { LinkStateRepository } from './link-states.js';
import { LinkedShopRepository } from './linked-shops.js';
import { OrderRepository } from './orders.js';
import { RobotTargetRepository } from './robot-targets.js';
import { ScheduleRepository } from './schedules.js';

/** The bot's storage: one database, one repository per kind of record. */
export class Store {
  readonly chats: ChatRepository;
  readonly orders: OrderRepository;
  readonly schedules: ScheduleRepository;
  readonly linkedShops: LinkedShopRepository;
  readonly linkStates: LinkStateRepository;
  readonly robots: RobotTargetRepository;

  private constructor(readonly db: Db) {
    this.chats = new ChatRepository(db);
    this.orders = new OrderRepository(db);
    this.schedules = new ScheduleRepository(db);
    this.linkedShops = new LinkedShopRepository(db);
    this.linkStates = new LinkStateRepository(db);
    this.robots = new RobotTargetRepository(db);
  }

  /** Opens the database named by `url` and brings its schema up to date. */
  static async open(url: string): Promise<Store> {
    const db = openDb(url);
    await migrate(db, dialectOf(url));
    return new Store(db);
  }

  close(): Promise<void> {
    return this.db.destroy();
  }
}
