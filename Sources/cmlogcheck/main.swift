import CMLogCheckCLI

CMLogCheck.runAsMain()
