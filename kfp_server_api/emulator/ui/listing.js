// One paged, sortable table over any list endpoint. Paging is the API's own: the page token of
// each page visited is kept so "Previous" can go back, and only one page is ever loaded, so a
// listing of 100,000 runs costs what one API page costs.

import { ApiError, Unavailable } from "./api.js";
import { h, problem, select, table } from "./dom.js";

export const PAGE_SIZES = [10, 20, 50, 100];

export class PagedList {
  /**
   * @param {object} options
   * @param {(query) => Promise<{items, total, next}>} options.load one page for
   *   {page_size, page_token, sort_by}
   * @param {Array} options.columns the table's columns (see dom.table)
   * @param {string} options.className the table's class
   * @param {{field, desc}} [options.sort] the initial order; null for the API's default
   * @param {() => boolean} [options.live] whether rows show times relative to now, so that
   *   they are redrawn on every refresh even when the data has not changed
   * @param {(sort) => void} [options.onSort] told when the user picks another order
   * @param {string} [options.empty] what an empty table says
   */
  constructor({ load, columns, className, sort = null, pageSize = 20, live, onSort, empty }) {
    this.load = load;
    this.columns = columns;
    this.className = className;
    this.sort = sort;
    this.size = pageSize;
    this.live = live || (() => false);
    this.onSort = onSort;
    this.empty = empty;
    this.tokens = [""];
    this.index = 0;
    this.page = null;
    this.signature = null;
    this.loads = 0;
    this.body = h("div", { class: "list-body" });
    // The pager is built once and updated in place, so that a refresh never closes its menu.
    this.range = h("span", { class: "range" });
    this.previous = h(
      "button",
      { type: "button", class: "previous", on: { click: () => this.go(-1) } },
      "‹ Previous",
    );
    this.next = h(
      "button",
      { type: "button", class: "next", on: { click: () => this.go(1) } },
      "Next ›",
    );
    const sizes = PAGE_SIZES.map((size) => [String(size), String(size)]);
    const resize = (value) => {
      this.size = Number(value);
      this.restart();
    };
    this.pager = h(
      "div",
      { class: "pager", hidden: true },
      select("Rows per page", sizes, String(this.size), resize, "page-size"),
      this.range,
      this.previous,
      this.next,
    );
    this.element = h("div", { class: "paged-list" }, this.body, this.pager);
  }

  get sortBy() {
    if (!this.sort) return "";
    return this.sort.desc ? `${this.sort.field} desc` : this.sort.field;
  }

  /** Load the current page again and show it (unchanged data is not redrawn). */
  async refresh() {
    // A click (sort, page) can start a load while a periodic one is running: the newest wins.
    this.loads += 1;
    const load = this.loads;
    let page;
    try {
      page = await this.load({
        page_size: this.size,
        page_token: this.tokens[this.index],
        sort_by: this.sortBy,
      });
    } catch (error) {
      if (!(error instanceof ApiError || error instanceof Unavailable)) throw error;
      if (load !== this.loads) return;
      this.signature = null;
      this.page = null;
      this.body.replaceChildren(problem(error));
      this.pager.hidden = true;
      return;
    }
    if (load !== this.loads) return;
    const signature = JSON.stringify([page, this.index, this.size, this.sortBy]);
    if (signature === this.signature && !this.live()) return;
    this.signature = signature;
    this.page = page;
    this.render();
  }

  render() {
    const page = this.page;
    const onSort = (field) => {
      const desc =
        this.sort && this.sort.field === field ? !this.sort.desc : field === "created_at";
      this.sort = { field, desc };
      if (this.onSort) this.onSort(this.sort);
      this.restart();
    };
    this.body.replaceChildren(
      table(this.className, this.columns, page.items, {
        sort: this.sort,
        onSort,
        empty: this.empty,
      }),
    );
    const first = this.index * this.size + 1;
    const last = this.index * this.size + page.items.length;
    let range = page.total ? `${first}-${last} of ${page.total}` : `${first}-${last}`;
    if (!page.items.length) range = this.index ? "no more rows" : "no rows";
    this.range.textContent = range;
    this.previous.disabled = this.index === 0;
    this.next.disabled = !page.next;
    this.pager.hidden = false;
  }

  go(step) {
    if (step > 0) {
      if (!this.page || !this.page.next) return;
      this.tokens[this.index + 1] = this.page.next;
      this.tokens.length = this.index + 2;
    }
    this.index = Math.max(0, this.index + step);
    this.refreshNow();
  }

  restart() {
    this.tokens = [""];
    this.index = 0;
    this.refreshNow();
  }

  refreshNow() {
    this.refresh().catch((error) =>
      document.dispatchEvent(new CustomEvent("refresh-failed", { detail: error })),
    );
  }
}
