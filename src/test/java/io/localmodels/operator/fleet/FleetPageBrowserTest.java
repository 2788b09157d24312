package io.localmodels.operator.fleet;

import io.localmodels.operator.config.OperatorConfig;
import io.localmodels.operator.testing.FakeOllama;
import io.localmodels.operator.testing.OperatorWorld;
import io.localmodels.operator.testing.SmallFleet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The fleet page in a real browser (Debian's headless Chromium through its chromedriver) against the running operator
 * with a small fleet: the figures are there, a circuit that opens turns the row red on the page's own reload, and
 * markup in an annotation or a condition message is shown as text. Skipped only where Chromium is not installed;
 * {@code .ci/run} installs it and sets {@code LOCALMODELS_REQUIRE_BROWSER}, under which a missing one fails.
 * {@code -Dlocalmodels.updateScreenshot=true} copies the screenshot to docs/.
 */
class FleetPageBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOT = Path.of("docs", "fleet-page.png");

    @RegisterExtension
    final OperatorWorld world = new OperatorWorld(OperatorConfig.defaults().withStatusPeriod(Duration.ofSeconds(1)));
    private SmallFleet fleet;
    private WebDriver browser;

    @BeforeEach
    void openBrowser() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String missing = "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)";
        if (System.getenv("LOCALMODELS_REQUIRE_BROWSER") != null) {
            assertThat(installed).as(missing + "; .ci/run requires them").isTrue();
        }
        assumeTrue(installed, missing);
        fleet = new SmallFleet(world);
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--window-size=1440,900", "--no-first-run", "--disable-extensions");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
        if (fleet != null) {
            fleet.close();
        }
    }

    private WebElement row(String table, String name) {
        return browser.findElement(By.cssSelector("#" + table + " tr[data-name='" + name + "']"));
    }

    private String cell(String table, String name, String column) {
        return row(table, name).findElement(By.cssSelector("td." + column)).getText();
    }

    @Test
    void showsEachModelsPhaseAndFiguresAndEachRoutersBackends() throws Exception {
        browser.get(fleet.pageUrl(60));

        assertThat(browser.getTitle()).isEqualTo("LocalModels fleet");
        assertThat(browser.findElements(By.cssSelector("#models tr.model"))).hasSize(5);
        assertThat(cell("models", "qwen3-30b", "phase")).isEqualTo("Ready");
        assertThat(cell("models", "qwen3-30b", "circuit")).isEqualTo("Closed");
        assertThat(cell("models", "qwen3-30b", "success")).isEqualTo("100 %");
        assertThat(cell("models", "qwen3-30b", "p50")).matches("\\d+");
        assertThat(cell("models", "qwen3-30b", "p95")).matches("\\d+");
        assertThat(row("models", "qwen3-30b").findElements(By.cssSelector("svg.spark polyline"))).hasSize(1);
        assertThat(cell("models", "qwen3-small", "phase")).isEqualTo("Pulling");
        assertThat(cell("models", "big-gpu", "phase")).isEqualTo("Scheduling");
        assertThat(cell("models", "workstation-llama", "phase")).isEqualTo("Ready");

        // qwen3-small is still pulling: the router leaves it out and says why
        assertThat(cell("routers", "gateway", "names")).contains("qwen3:30b 1 / 1", "llama3.2:3b 1 / 2");
        assertThat(cell("routers", "gateway", "excluded")).startsWith("qwen3-small:");
        assertThat(cell("routers", "gateway", "phase")).isEqualTo("Ready");
    }

    @Test
    void aCircuitThatOpensTurnsItsRowRedOnThePagesOwnReload() throws Exception {
        browser.get(fleet.pageUrl(60));
        String closedBackground = row("models", "workstation-llama").getCssValue("background-color");
        assertThat(cell("models", "workstation-llama", "circuit")).isEqualTo("Closed");
        browser.get(fleet.pageUrl(1));

        fleet.workstation.mode(FakeOllama.Mode.FAIL);

        // no navigation by the test: the page reloads itself (meta refresh) and shows what status says
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> cell("models", "workstation-llama", "circuit"), "Open"::equals);

        browser.get(fleet.pageUrl(60)); // a page that holds still while its styles are read
        WebElement open = row("models", "workstation-llama");
        assertThat(open.getAttribute("class")).contains("circuit-open");
        assertThat(open.getCssValue("background-color")).isNotEqualTo(closedBackground).isEqualTo("rgba(255, 235, 233, 1)");
        assertThat(open.findElement(By.cssSelector(".pill")).getCssValue("background-color")).isEqualTo("rgba(207, 34, 46, 1)");
        assertThat(cell("models", "workstation-llama", "phase")).isEqualTo("Unavailable");
        assertThat(browser.findElement(By.id("open-count")).getText()).isEqualTo("1 circuits open");
        assertThat(open.findElements(By.cssSelector("svg.spark rect.fail"))).isNotEmpty();
        // the router leaves it out of the name it shares with the pulling model (fail static: both stay in)
        assertThat(cell("routers", "gateway", "names")).contains("llama3.2:3b 0 / 2");
        screenshot();
    }

    @Test
    void markupInAnAnnotationOrAMessageIsShownAsText() {
        browser.get(fleet.pageUrl(60));

        assertThat(row("models", "qwen3-30b").findElement(By.cssSelector(".desc")).getText())
                .isEqualTo(SmallFleet.DESCRIPTION);
        assertThat(cell("models", "big-gpu", "why")).contains(SmallFleet.SCHEDULER_MESSAGE);
        // nothing ran and nothing was parsed as markup: no script or b element, the title untouched
        assertThat(browser.getTitle()).isEqualTo("LocalModels fleet");
        assertThat(((JavascriptExecutor) browser).executeScript(
                "return document.querySelectorAll('script, b').length")).isEqualTo(0L);
    }

    /** target/fleet-page.png, and docs/fleet-page.png when asked (the README and docs/observability.md show it). */
    private void screenshot() throws Exception {
        File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", "fleet-page.png");
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        if (Boolean.getBoolean("localmodels.updateScreenshot")) {
            Files.copy(target, SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
