# The command line in Traditional Chinese: every command's --help and the usage errors
# (src/output/help.rs explains the keys). English is the doc comments of src/cli.rs.
# Simplified Chinese is made from this file. A line may not begin with "[", "*" or ".",
# and braces are written {"{"} and {"}"}.

## Headings and clap's own words

help-usage = 用法：
help-heading-commands = 命令
help-heading-arguments = 參數
help-heading-options = 選項
help-heading-global = 全域選項
help-value-command = 命令
help-value-options = [選項]
help-flag-help = 顯示說明（-h 簡短，--help 完整）
help-flag-version = 顯示版本
help-help = 顯示 kefu 或某個命令的說明
help-note-values = [可用：{ $values }]
help-note-default = [預設：{ $value }]
help-note-env = [環境變數：{ $name }]

## Usage errors (exit 2)

usage-unknown-argument = 沒有 { $arg } 這個選項
usage-unknown-command = 沒有 { $command } 這個命令
usage-missing-value = { $arg } 後面要接一個值
usage-invalid-value = { $arg } 不接受「{ $value }」
usage-invalid-choice = { $arg } 不接受「{ $value }」，可用：{ $valid }
usage-because = ：{ $reason }
usage-missing-required = 缺少 { $arg }
usage-missing-command = 缺少命令：kefu --help 列出所有命令
usage-conflict = { $arg } 不能和 { $other } 一起用
usage-no-equals = { $arg } 的值要用「=」接上
usage-value-count = { $arg } 的值個數不對
usage-not-utf8 = 命令列含有不是 UTF-8 的字元
usage-other = 命令列有誤：kefu --help 說明用法
usage-did-you-mean = （是不是 { $suggestion }？）
