package dev.weft.samples.orders;

/**
 * An order as the workflow receives it. The id is also the id of the order's workflow run.
 *
 * @param id the order's id and run id
 * @param sku the product
 * @param quantity how many
 * @param amountCents the price to charge
 * @param card a payment token; {@value Payments#DECLINED_CARD} is always declined
 * @param email where the confirmation goes
 */
public record Order(String id, String sku, int quantity, long amountCents, String card, String email) {
}
